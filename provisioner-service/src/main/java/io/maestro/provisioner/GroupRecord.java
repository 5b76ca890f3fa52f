package io.maestro.provisioner;

import java.util.Map;

/** A group of identical nodes of a cluster: tinycloud's {@code {tag, count, driver}} plus driver options. */
public record GroupRecord(String cluster, String tag, String driver, Map<String, String> options, int count) {
}
