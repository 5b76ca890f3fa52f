package io.maestro.provisioner.rest;

import io.maestro.provisioner.ExecResult;
import io.maestro.provisioner.config.ProvisionerConfig;
import io.maestro.provisioner.driver.DriverException;
import io.maestro.provisioner.repository.ClusterRepository;
import io.maestro.provisioner.repository.Sessions;
import io.maestro.provisioner.service.ClusterOperations;
import io.maestro.provisioner.service.CommandValidator;
import io.maestro.support.auth.CurrentCaller;
import io.maestro.support.auth.RequiresScope;
import io.maestro.support.problem.ProblemException;
import io.maestro.support.validation.MaestroName;
import io.quarkus.logging.Log;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * flintrock's copy-file: one file to every node of a cluster (or of a group, or one node), written through the
 * service's SSH identity after checking each node's recorded host key. Not a command: the content is not kept.
 */
@Path("/v1/clusters/{name}/files")
@Tag(name = "clusters")
public class FileCopyResource {
    static final String PATH_RULE = "a file path of 1 to 1024 characters without control characters, not ending in '/'";
    static final String MODE_REGEX = "[0-7]{3,4}";
    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");

    private final ClusterOperations operations;
    private final ClusterRepository clusters;
    private final ProvisionerConfig config;
    private final CurrentCaller caller;

    public FileCopyResource(ClusterOperations operations, ClusterRepository clusters, ProvisionerConfig config, CurrentCaller caller) {
        this.operations = operations;
        this.clusters = clusters;
        this.config = config;
        this.caller = caller;
    }

    /** The answer: where the file went, its size, and each node's result (exit 0: written). */
    public record CopyResponse(String path, int bytes, List<ExecResult> results) {
    }

    @PUT
    @Blocking
    @Consumes(MediaType.APPLICATION_OCTET_STREAM)
    @RequiresScope(value = "provisioner:exec", narrowedBy = "name")
    @Operation(operationId = "copyFileToCluster", summary = "Copy a file to nodes",
            description = "Writes the body to path on every node (one tag, or one node), creating its directory, with the given mode "
                    + "(default 0644), on at most forks nodes at once; a relative path is under the node user's home. At most "
                    + "provisioner.max-copy-bytes (8 MiB). Each node's result says whether it was written (exitCode 0).")
    @APIResponse(responseCode = "200", description = "Each targeted node's result")
    @APIResponse(responseCode = "404", description = "No cluster with this name")
    @APIResponse(responseCode = "413", description = "The file is larger than provisioner.max-copy-bytes")
    @APIResponse(responseCode = "422", description = "No node matches tag and index")
    public CopyResponse copy(@PathParam("name") @MaestroName String name,
                             @Parameter(description = PATH_RULE, required = true) @QueryParam("path") String path,
                             @QueryParam("tag") @MaestroName(optional = true) String tag,
                             @QueryParam("index") Integer index,
                             @Parameter(description = "file mode, octal (default 0644)", schema = @Schema(type = SchemaType.STRING, pattern = MODE_REGEX))
                             @QueryParam("mode") String mode,
                             @Parameter(description = "on at most this many nodes at once: 1 to " + CommandValidator.MAX_EXEC_FORKS + ", default "
                                     + CommandValidator.DEFAULT_EXEC_FORKS) @QueryParam("forks") Integer forks,
                             InputStream body) {
        if (path == null || path.isEmpty() || path.length() > 1024 || CONTROL.matcher(path).find() || path.endsWith("/")) {
            throw ProblemException.invalid("path", PATH_RULE);
        }
        if (mode != null && !mode.matches(MODE_REGEX)) {
            throw ProblemException.invalid("mode", "octal, such as 0644 or 755");
        }
        CommandValidator.requireNodeIndex(tag, index);
        CommandValidator.requireForks(forks);
        byte[] content = read(body, config.maxCopyBytes());
        Sessions.awaitSession(() -> clusters.findCluster(name)).orElseThrow(() -> ProblemException.notFound("no cluster '" + name + "'"));
        try {
            List<ExecResult> results = operations.copy(name, tag, index, content, path, mode == null ? "0644" : mode, forks);
            Log.infof("%s copied %d bytes to %s on %d node(s) of %s", caller.subject(), content.length, path, results.size(), name);
            return new CopyResponse(path, content.length, results);
        } catch (DriverException e) {
            throw ProblemException.unprocessable(e.getMessage()); // no node matches
        }
    }

    private static byte[] read(InputStream body, int limit) {
        if (body == null) {
            return new byte[0];
        }
        try (InputStream in = body) {
            byte[] content = in.readNBytes(limit + 1);
            if (content.length > limit) {
                throw new ProblemException(413, "Content too large", "the file is larger than " + limit + " bytes (provisioner.max-copy-bytes)");
            }
            return content;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
