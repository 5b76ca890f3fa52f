package io.maestro.client.provisioner;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** A node of a cluster: its group ({@code tag}) and index, status ({@code running}, ...), where to reach it, its host key. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Node(String tag, int index, String status, String address, Integer port, String username, String providerId,
                   String hostKey) {
}
