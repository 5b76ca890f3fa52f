package io.maestro.inventory.port;

import io.maestro.events.Require;
import io.maestro.support.problem.Names;
import io.maestro.support.problem.ProblemException;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A type's port templates ({@code PUT /v1/types/{type}} "ports"): each a port name, or a name with one numeric range
 * in brackets ({@code [1-48]} is ports 1 to 48; {@code eth[01-04]} is eth01 to eth04, the width of the first number
 * kept; {@code front[1-24]} front1 to front24). Expanded at the edge, each a 400 naming {@code ports[i]}.
 */
public final class PortTemplates {
    public static final int MAX_TEMPLATES = 256;
    public static final int MAX_PORTS = 4096;
    private static final Pattern RANGE = Pattern.compile("\\[([0-9]{1,6})-([0-9]{1,6})]");

    private PortTemplates() {
    }

    /** The ports {@code templates} name, in their order; a template that names no port, or a port twice, is a 400. */
    public static List<String> expand(List<String> templates) {
        if (templates.size() > MAX_TEMPLATES) {
            throw ProblemException.invalid("ports", "at most " + MAX_TEMPLATES + " templates");
        }
        Set<String> ports = new LinkedHashSet<>();
        for (int i = 0; i < templates.size(); i++) {
            String field = "ports[" + i + "]";
            String template = templates.get(i);
            if (template == null) {
                throw ProblemException.invalid(field, "must be a port name, or one with a range such as eth[1-48]");
            }
            for (String port : expand(template, field)) {
                if (!ports.add(port)) {
                    throw ProblemException.invalid(field, "names port '" + port + "' a second time");
                }
                if (ports.size() > MAX_PORTS) {
                    throw ProblemException.invalid("ports", "at most " + MAX_PORTS + " ports in all");
                }
            }
        }
        return List.copyOf(ports);
    }

    private static List<String> expand(String template, String field) {
        Matcher range = RANGE.matcher(template);
        if (!range.find()) {
            return List.of(port(template, field));
        }
        String prefix = template.substring(0, range.start());
        String suffix = template.substring(range.end());
        if (RANGE.matcher(suffix).find()) {
            throw ProblemException.invalid(field, "may have one range [first-last] only");
        }
        int first = Integer.parseInt(range.group(1));
        int last = Integer.parseInt(range.group(2));
        if (first > last) {
            throw ProblemException.invalid(field, "the range's first number must not be above its last");
        }
        if (last - first >= MAX_PORTS) {
            throw ProblemException.invalid(field, "at most " + MAX_PORTS + " ports in all");
        }
        int width = range.group(1).startsWith("0") ? range.group(1).length() : 0;
        List<String> ports = new ArrayList<>(last - first + 1);
        for (int n = first; n <= last; n++) {
            String number = width == 0 ? Integer.toString(n) : String.format("%0" + width + "d", n);
            ports.add(port(prefix + number + suffix, field));
        }
        return ports;
    }

    private static String port(String name, String field) {
        if (!Require.NAME.matcher(name).matches()) {
            throw ProblemException.invalid(field, "each port it names " + Names.RULE + ", not '"
                    + (name.length() > 64 ? name.substring(0, 64) + "..." : name) + "'");
        }
        return name;
    }
}
