package io.maestro.support.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, sending the request line exactly as given: a hostile caller is not held back by a
 * client library that refuses {@code %zz}, re-encodes {@code %2E%2E} or normalises dot segments.
 */
final class RawHttp {
    private static final int TIMEOUT_MILLIS = 30_000;
    private static final int MAX_BODY = 1 << 20;
    private static final int STREAM_PEEK = 8192;
    private static final int STREAM_WAIT_MILLIS = 500;

    /** @param cutShort an event stream that ended without its last chunk: the server failed after sending the headers */
    record Response(int status, Map<String, String> headers, String body, boolean cutShort) {
        Response(int status, Map<String, String> headers, String body) {
            this(status, headers, body, false);
        }

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private RawHttp() {
    }

    /** Sends one request on a fresh connection; an answer's body is read unless it is an event stream. */
    static Response send(int port, String method, String target, Map<String, String> headers, byte[] body) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                    .append("Host: 127.0.0.1:").append(port).append("\r\n")
                    .append("Connection: close\r\n");
            headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
            if (body != null) {
                head.append("Content-Length: ").append(body.length).append("\r\n");
            }
            head.append("\r\n");
            OutputStream out = socket.getOutputStream();
            try {
                out.write(head.toString().getBytes(StandardCharsets.UTF_8));
                if (body != null) {
                    out.write(body);
                }
                out.flush();
            } catch (IOException e) {
                // The server may answer and close before it read a large body; its answer is still there to read.
            }
            return read(socket, socket.getInputStream());
        }
    }

    private static Response read(Socket socket, InputStream in) throws IOException {
        String statusLine = line(in);
        if (statusLine == null || !statusLine.startsWith("HTTP/1.")) {
            throw new IOException("no HTTP answer (got " + statusLine + ")");
        }
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = line(in); line != null && !line.isEmpty(); line = line(in)) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
        }
        String type = headers.getOrDefault("content-type", "");
        if (type.startsWith("text/event-stream")) {
            boolean chunked = "chunked".equalsIgnoreCase(headers.get("transfer-encoding"));
            return new Response(status, headers, "", chunked && cutShort(socket, in));
        }
        byte[] body;
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = chunked(in);
        } else if (headers.containsKey("content-length")) {
            body = in.readNBytes((int) Math.min(MAX_BODY, Long.parseLong(headers.get("content-length"))));
        } else {
            body = in.readNBytes(MAX_BODY);
        }
        return new Response(status, headers, new String(body, StandardCharsets.UTF_8));
    }

    private static byte[] chunked(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (out.size() < MAX_BODY) {
            String sizeLine = line(in);
            if (sizeLine == null) {
                break;
            }
            int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
            if (size == 0) {
                break;
            }
            out.write(in.readNBytes(size));
            line(in);
        }
        return out.toByteArray();
    }

    /**
     * Whether a chunked event stream ends (within a moment) without its last, empty chunk. A stream that goes on, or
     * ends properly, is not; the first {@value #STREAM_PEEK} bytes are enough to tell.
     */
    private static boolean cutShort(Socket socket, InputStream in) throws IOException {
        socket.setSoTimeout(STREAM_WAIT_MILLIS);
        int read = 0;
        try {
            while (read < STREAM_PEEK) {
                String sizeLine = line(in);
                if (sizeLine == null) {
                    return true;
                }
                int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
                if (size == 0) {
                    return false;
                }
                read += in.readNBytes(size).length;
                if (line(in) == null) {
                    return true;
                }
            }
            return false;
        } catch (java.net.SocketTimeoutException stillOpen) {
            return false;
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                break;
            }
            if (b != '\r') {
                out.write(b);
            }
        }
        return b < 0 && out.size() == 0 ? null : out.toString(StandardCharsets.ISO_8859_1);
    }
}
