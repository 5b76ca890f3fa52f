package io.maestro.support.connections;

import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.UnsupportedSaslMechanismException;

import javax.net.ssl.SSLException;
import java.lang.reflect.Method;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the failure of a connection to Kafka, Redis or PostgreSQL into one sentence for readiness and the log:
 * {@code "<the setting to fix>: <what the server or the TLS handshake said>"}, in words, never a Java class name, a
 * stack trace or a secret. Credentials and certificates are recognised precisely (SASL, WRONGPASS/NOAUTH, SQLSTATE
 * 28P01/28000, PKIX, host name, plaintext against TLS); anything else names the address setting with the server's
 * own message, its secrets masked.
 */
public final class ConnectionProblems {
    static final String MASK = "***";
    private static final Pattern CLASS_PREFIX = Pattern.compile("^(?:[a-z_$][\\w$]*\\.)+[A-Z][\\w$]*(?:Exception|Error)?:\\s*");
    private static final Pattern CLASS_NAME = Pattern.compile("\\b(?:[a-z_$][\\w$]*\\.){2,}[A-Z][\\w$]*\\b");
    private static final Pattern PASSWORD_ASSIGNMENT = Pattern.compile("(?i)(password\\s*[=:]\\s*)(\"[^\"]*\"|'[^']*'|[^\\s&;,]+)");
    private static final Pattern URL_USER_WITHOUT_PASSWORD = Pattern.compile("rediss?://([^:/@\\s]+)@");
    private static final Pattern URL_USER_INFO = Pattern.compile("(://[^:/@\\s]*:)[^@/\\s]+@");

    private ConnectionProblems() {
    }

    /** The sentence that explains {@code failure} of a connection to {@code engine}. */
    public static String explain(Engine engine, Throwable failure, ConnectionSettings settings) {
        List<Throwable> chain = chain(failure);
        String sentence = switch (engine) {
            case KAFKA -> kafka(chain, settings);
            case REDIS -> redis(chain, settings);
            case POSTGRESQL -> postgresql(chain, settings);
        };
        return redact(sentence, settings);
    }

    // ---------------------------------------------------------------- Kafka

    private static String kafka(List<Throwable> chain, ConnectionSettings settings) {
        String mechanism = settings.get("kafka.sasl.mechanism").orElse("GSSAPI");
        Throwable mechanisms = chain.stream().filter(t -> String.valueOf(t.getMessage()).contains("enabled mechanisms are"))
                .findFirst().orElse(find(chain, UnsupportedSaslMechanismException.class));
        if (mechanisms != null && message(mechanisms).contains("enabled mechanisms are []")) {
            return "kafka.security.protocol: " + settings.get("kafka.security.protocol").orElse("SASL")
                    + " but the listener at kafka.bootstrap.servers has no SASL (try PLAINTEXT, or the broker's SASL port)";
        }
        if (mechanisms != null) {
            return "kafka.sasl.mechanism: the broker does not accept SASL mechanism " + mechanism + " (" + message(mechanisms) + ")";
        }
        if (find(chain, SaslAuthenticationException.class) != null) {
            return "kafka.sasl.jaas.config: Kafka refused the user name or password in kafka.sasl.jaas.config "
                    + "(authentication failed for the user, SASL " + mechanism + ")";
        }
        if (find(chain, AuthorizationException.class) != null) {
            return "kafka.sasl.jaas.config: the Kafka user in kafka.sasl.jaas.config is not allowed to do this ("
                    + message(find(chain, AuthorizationException.class)) + ")";
        }
        if (contains(chain, "JAAS") || contains(chain, "LoginModule")) {
            // never the parser's message: it may quote the configuration, password included
            return "kafka.sasl.jaas.config: not a valid JAAS login module configuration "
                    + "(expected: <LoginModule class> required username=\"...\" password=\"...\";)";
        }
        Tls tls = tls(chain);
        String protocol = settings.get("kafka.security.protocol").orElse("PLAINTEXT");
        if (tls != null) {
            String untrusted = settings.isSet("kafka.ssl.truststore.location") ? " (no CA in that file signed it)"
                    : " (not set, so only the JDK's CAs are)";
            return new TlsWords("kafka.ssl.truststore.location", untrusted, "the broker's certificate", "kafka.bootstrap.servers",
                    "kafka.ssl.endpoint.identification.algorithm",
                    "kafka.security.protocol: " + protocol
                            + " uses TLS but the listener at kafka.bootstrap.servers does not (or ended the handshake)",
                    "kafka.ssl.keystore.location", "the broker").sentence(tls, chain);
        }
        if (find(chain, SslAuthenticationException.class) != null) {
            return "kafka.security.protocol: the TLS handshake with the broker failed ("
                    + message(find(chain, SslAuthenticationException.class)) + ")";
        }
        String store = firstMessage(chain, "keystore", "truststore", "PEM", "certificate");
        if (store != null && (settings.isSet("kafka.ssl.truststore.location") || settings.isSet("kafka.ssl.truststore.certificates"))) {
            return settings.firstSet("kafka.ssl.truststore.location", "kafka.ssl.truststore.location", "kafka.ssl.truststore.certificates")
                    + ": cannot load the trust store (missing or unreadable file, or not of kafka.ssl.truststore.type)";
        }
        if (contains(chain, "Timed out") || find(chain, java.util.concurrent.TimeoutException.class) != null) {
            return "kafka.bootstrap.servers: no broker answered in time at " + settings.get("kafka.bootstrap.servers").orElse("(not set)")
                    + " (is it up, and does its listener expect kafka.security.protocol=" + protocol + "?)";
        }
        return "kafka.bootstrap.servers: cannot use Kafka (" + message(root(chain)) + ")";
    }

    // ---------------------------------------------------------------- Redis

    private static String redis(List<Throwable> chain, ConnectionSettings settings) {
        boolean passwordSetting = settings.isSet("quarkus.redis.password");
        String passwordProperty = passwordSetting ? "quarkus.redis.password" : "quarkus.redis.hosts";
        if (contains(chain, "WRONGPASS")) {
            Matcher userOnly = URL_USER_WITHOUT_PASSWORD.matcher(settings.get("quarkus.redis.hosts").orElse(""));
            if (passwordSetting && userOnly.find()) {
                // the Vert.x client reads a user name only from "user:password@" or "?user=": "user@" is dropped
                return "quarkus.redis.hosts: the client ignores the user name in '" + userOnly.group() + "' (no ':'), so Redis "
                        + "checked the password of its default user (WRONGPASS); name the user as ?user=" + userOnly.group(1);
            }
            return passwordSetting
                    ? "quarkus.redis.password: Redis refused the user's password (WRONGPASS: wrong password for the user in "
                      + "quarkus.redis.hosts, or that user does not exist or is off)"
                    : "quarkus.redis.hosts: Redis refused the user name or password in the URL (WRONGPASS)";
        }
        if (contains(chain, "NOAUTH")) {
            return passwordProperty + ": Redis wants a user and password and the client sent none (NOAUTH)";
        }
        if (contains(chain, "NOPERM")) {
            return "quarkus.redis.hosts: the Redis user in the URL may not do this (" + firstMessage(chain, "NOPERM") + ")";
        }
        Tls tls = tls(chain);
        if (tls != null) {
            String trust = trustProperty(settings, "quarkus.redis.tls-configuration-name", "quarkus.redis.tls.");
            return new TlsWords(trust, "", "the Redis server's certificate", "quarkus.redis.hosts",
                    "quarkus.redis.tls.hostname-verification-algorithm", "quarkus.redis.hosts: rediss:// uses TLS but the server there does not",
                    "quarkus.redis.tls.key-certificate-pem.certs", "Redis").sentence(tls, chain);
        }
        boolean tlsUrl = settings.get("quarkus.redis.hosts").orElse("").startsWith("rediss:");
        if (contains(chain, "CONNECTION_CLOSED") && !tlsUrl) {
            return "quarkus.redis.hosts: Redis closed the connection at once (a TLS port? then the URL starts with rediss://)";
        }
        if (find(chain, java.util.concurrent.TimeoutException.class) != null && tlsUrl) {
            return "quarkus.redis.hosts: no TLS answer from Redis in time (is the port in the rediss:// URL its TLS port?)";
        }
        return "quarkus.redis.hosts: cannot use Redis (" + message(root(chain)) + network(chain) + ")";
    }

    // ---------------------------------------------------------------- PostgreSQL

    private static String postgresql(List<Throwable> chain, ConnectionSettings settings) {
        for (Throwable t : chain) {
            String state = sqlState(t);
            if (state == null) {
                continue;
            }
            String text = message(t);
            switch (state) {
                case "28P01":
                    return "quarkus.datasource.password: PostgreSQL refused the password of the user in quarkus.datasource.username";
                case "28000":
                    if (text.contains("no pg_hba.conf entry") && text.contains("no encryption")) {
                        return "quarkus.datasource.reactive.postgresql.ssl-mode: PostgreSQL accepts this user only over TLS "
                                + "(set verify-full)";
                    }
                    if (text.contains("does not exist")) {
                        return "quarkus.datasource.username: PostgreSQL has no such role (" + text + ")";
                    }
                    return "quarkus.datasource.username: PostgreSQL does not let this user connect from here (" + text + ")";
                case "3D000":
                    return "quarkus.datasource.reactive.url: the database in the URL does not exist (" + text + ")";
                case "42501":
                    return "quarkus.datasource.username: the user may not do this (" + text + ")";
                default:
                    if (state.startsWith("28")) {
                        return "quarkus.datasource.username: PostgreSQL refused the user (" + text + ")";
                    }
            }
        }
        Tls tls = tls(chain);
        String trust = trustProperty(settings, "quarkus.datasource.reactive.tls-configuration-name", "quarkus.datasource.reactive.");
        if (tls == Tls.OTHER && "SSL handshake failed".equals(message(tlsCause(chain)))) {
            Optional<Throwable> reason = PostgresTlsDiagnosis.diagnose(settings, ConnectionReadiness.DEFAULT_TIMEOUT);
            if (reason.isPresent() && reason.get() instanceof PostgresTlsDiagnosis.UnreadableTrust) {
                return trust + ": cannot read the trusted certificates (missing or unreadable file, or not PEM)";
            }
            if (reason.isPresent() && tls(chain(reason.get())) != null) {
                chain = chain(reason.get());
                tls = tls(chain);
            }
        }
        if (tls != null) {
            return new TlsWords(trust, "", "the server certificate", "quarkus.datasource.reactive.url",
                    "quarkus.datasource.reactive.hostname-verification-algorithm",
                    "quarkus.datasource.reactive.postgresql.ssl-mode: the server ended the TLS handshake",
                    "quarkus.datasource.reactive.key-certificate-pem.certs", "PostgreSQL").sentence(tls, chain);
        }
        if (contains(chain, "does not handle SSL") || contains(chain, "does not support SSL")) {
            return "quarkus.datasource.reactive.postgresql.ssl-mode: TLS is required but the server does not offer it";
        }
        return "quarkus.datasource.reactive.url: cannot use PostgreSQL (" + message(root(chain)) + network(chain) + ")";
    }

    /**
     * The setting that holds the certificates a client trusts: its TLS registry configuration's, else the one of
     * {@code <prefix>trust-certificate-pem|pfx|jks} that is set, else the PEM one.
     */
    private static String trustProperty(ConnectionSettings settings, String registryNameProperty, String prefix) {
        Optional<String> registry = settings.get(registryNameProperty);
        if (registry.isPresent()) {
            return "quarkus.tls." + registry.get() + ".trust-store.pem.certs";
        }
        return settings.firstSet(prefix + "trust-certificate-pem.certs", prefix + "trust-certificate-pem.certs",
                prefix + "trust-certificate-pfx.path", prefix + "trust-certificate-jks.path");
    }

    /** The SQLSTATE of a JDBC or Vert.x SQL client error (read reflectively: this library has no SQL client). */
    static String sqlState(Throwable t) {
        if (t instanceof SQLException sql) {
            return sql.getSQLState();
        }
        for (String name : List.of("getSqlState", "getCode")) {
            try {
                Method method = t.getClass().getMethod(name);
                if (method.getReturnType() == String.class) {
                    String state = (String) method.invoke(t);
                    if (state != null && state.matches("[0-9A-Z]{5}")) {
                        return state;
                    }
                }
            } catch (ReflectiveOperationException | RuntimeException ignored) {
                // not an SQL error
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- TLS, shared

    enum Tls { UNTRUSTED, EXPIRED, HOST_MISMATCH, NOT_TLS, CLIENT_CERTIFICATE, OTHER }

    /** What to say about each TLS failure of one engine: its settings and how to call its certificate and server. */
    private record TlsWords(String trustProperty, String untrustedDetail, String certificate, String addressProperty,
                            String hostCheckProperty, String notTls, String clientCertificateProperty, String server) {
        String sentence(Tls tls, List<Throwable> chain) {
            return switch (tls) {
                case UNTRUSTED -> trustProperty + ": " + certificate + " is not trusted" + untrustedDetail;
                case EXPIRED -> trustProperty + ": " + certificate + " (or its CA) has expired or is not yet valid";
                case HOST_MISMATCH -> addressProperty + ": " + certificate + " is not for the host it was reached at ("
                        + hostDetail(chain) + "; " + hostCheckProperty + ")";
                case NOT_TLS -> notTls;
                case CLIENT_CERTIFICATE -> clientCertificateProperty + ": " + server + " wants a client certificate it trusts";
                case OTHER -> addressProperty + ": the TLS handshake with " + server + " failed (" + message(tlsCause(chain)) + ")";
            };
        }
    }

    static Tls tls(List<Throwable> chain) {
        if (find(chain, CertificateExpiredException.class) != null || contains(chain, "NotAfter") || contains(chain, "validity check failed")) {
            return Tls.EXPIRED;
        }
        if (find(chain, CertPathBuilderException.class) != null || find(chain, CertPathValidatorException.class) != null
                || contains(chain, "PKIX path") || contains(chain, "unable to find valid certification path")) {
            return Tls.UNTRUSTED;
        }
        if (contains(chain, "No subject alternative") || contains(chain, "No name matching")) {
            return Tls.HOST_MISMATCH;
        }
        if (contains(chain, "Unrecognized SSL message") || contains(chain, "plaintext connection")
                || contains(chain, "not an SSL/TLS record") || contains(chain, "Remote host terminated the handshake")
                || contains(chain, "SSL peer shut down incorrectly") || contains(chain, "Unsupported or unrecognized SSL message")) {
            return Tls.NOT_TLS;
        }
        if (contains(chain, "certificate_required") || contains(chain, "bad_certificate")) {
            return Tls.CLIENT_CERTIFICATE;
        }
        if (tlsCause(chain) != null) {
            return Tls.OTHER;
        }
        return null;
    }

    private static Throwable tlsCause(List<Throwable> chain) {
        Throwable ssl = find(chain, SSLException.class);
        if (ssl != null) {
            return ssl;
        }
        for (Throwable t : chain) {
            if (t.getClass().getSimpleName().contains("Ssl") || t.getClass().getSimpleName().contains("SSL")
                    || String.valueOf(t.getMessage()).contains("SSL handshake")) {
                return t;
            }
        }
        return null;
    }

    private static String hostDetail(List<Throwable> chain) {
        String text = firstMessage(chain, "No subject alternative", "No name matching");
        if (text == null) {
            return "host name mismatch";
        }
        int start = Math.max(text.indexOf("No subject alternative"), text.indexOf("No name matching"));
        return text.substring(Math.max(0, start));
    }

    private static String network(List<Throwable> chain) {
        if (find(chain, ConnectException.class) != null || contains(chain, "Connection refused")) {
            return "; nothing listens there";
        }
        if (find(chain, UnknownHostException.class) != null) {
            return "; unknown host";
        }
        return "";
    }

    // ---------------------------------------------------------------- text

    static List<Throwable> chain(Throwable failure) {
        List<Throwable> chain = new ArrayList<>();
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        for (Throwable t = failure; t != null && seen.put(t, true) == null; t = t.getCause()) {
            chain.add(t);
            for (Throwable suppressed : t.getSuppressed()) {
                if (seen.put(suppressed, true) == null) {
                    chain.add(suppressed);
                }
            }
        }
        return chain;
    }

    private static <T extends Throwable> T find(List<Throwable> chain, Class<T> type) {
        for (Throwable t : chain) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static boolean contains(List<Throwable> chain, String text) {
        return firstMessage(chain, text) != null;
    }

    private static String firstMessage(List<Throwable> chain, String... texts) {
        for (Throwable t : chain) {
            String message = t.getMessage();
            if (message != null) {
                for (String text : texts) {
                    if (message.contains(text)) {
                        return message;
                    }
                }
            }
        }
        return null;
    }

    private static Throwable root(List<Throwable> chain) {
        // the deepest throwable with a message says most; wrappers repeat it with a class name in front
        for (int i = chain.size() - 1; i >= 0; i--) {
            if (chain.get(i).getMessage() != null && !chain.get(i).getMessage().isBlank()) {
                return chain.get(i);
            }
        }
        return chain.isEmpty() ? null : chain.get(chain.size() - 1);
    }

    /** A throwable's message without the Java class names its wrappers put in front. */
    static String message(Throwable t) {
        if (t == null) {
            return "no detail";
        }
        String message = t.getMessage();
        if (message == null || message.isBlank()) {
            return t instanceof java.util.concurrent.TimeoutException ? "timed out" : "no detail";
        }
        String previous;
        do {
            previous = message;
            message = CLASS_PREFIX.matcher(message).replaceFirst("");
        } while (!message.equals(previous));
        message = CLASS_NAME.matcher(message).replaceAll(m -> simpleName(m.group()));
        // a server or client message may quote configuration: anything shaped like a password goes
        message = PASSWORD_ASSIGNMENT.matcher(message).replaceAll(m -> m.group(1) + MASK);
        message = URL_USER_INFO.matcher(message).replaceAll(m -> m.group(1) + MASK + "@");
        return message.strip();
    }

    private static String simpleName(String className) {
        String simple = className.substring(className.lastIndexOf('.') + 1);
        // words, not a type: SaslAuthenticationException -> sasl authentication
        return simple.replaceAll("(Exception|Error)$", "").replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
    }

    /** {@code text} with every secret value of the configuration masked. */
    public static String redact(String text, ConnectionSettings settings) {
        String result = text;
        for (String secret : settings.secrets()) {
            result = result.replace(secret, MASK);
        }
        return result;
    }
}
