package org.ketafhir.server;

import ca.uhn.fhir.batch2.jobs.imprt.BulkImportFileServlet;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.RestfulServerUtils;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.UriType;

/**
 * Checks the sources of a {@code $import} kick-off before HAPI's provider reads them (the Parameters the request
 * carries, which the provider is handed), and refuses a bad one with 400:
 * <ul>
 *   <li>{@code http:} and {@code https:} URLs are fetched by HAPI's import step as given;</li>
 *   <li>a {@code file:} URL must name a readable file inside one of {@code ketafhir.server.bulk-import-folders}
 *       (after {@code ..} and symbolic links are resolved; a {@code ..} segment is refused outright). HAPI's step only
 *       speaks HTTP, so the file is registered with HAPI's {@link BulkImportFileServlet} under a random name and the
 *       job fetches it from this server over the loopback;</li>
 *   <li>any other scheme is refused.</li>
 * </ul>
 */
@Interceptor
final class BulkImportSources {

    static final String FILES_PATH = "/bulk-import-files";

    private final BulkImportFileServlet files;
    private final List<Path> folders;

    BulkImportSources(BulkImportFileServlet files, List<Path> folders) {
        this.files = files;
        this.folders = folders.stream().map(BulkImportSources::real).toList();
    }

    /** Before HAPI parses the body for the provider: the body it parses is the one with the URLs to fetch. */
    @Hook(Pointcut.SERVER_INCOMING_REQUEST_POST_PROCESSED)
    public boolean kickOff(RequestDetails request) {
        if (!"$import".equals(request.getOperation()) || request.loadRequestContents().length == 0) {
            return true;
        }
        EncodingEnum encoding = RestfulServerUtils.determineRequestEncodingNoDefault(request);
        IParser parser = (encoding == null ? EncodingEnum.JSON : encoding).newParser(request.getFhirContext());
        Parameters parameters;
        try {
            parameters = parser.parseResource(Parameters.class,
                    new String(request.loadRequestContents(), StandardCharsets.UTF_8));
        } catch (DataFormatException e) {
            throw refused("the body is not a Parameters resource: " + e.getMessage());
        }
        boolean changed = false;
        for (Parameters.ParametersParameterComponent input : parameters.getParameter()) {
            if (!"input".equals(input.getName())) {
                continue;
            }
            for (Parameters.ParametersParameterComponent part : input.getPart()) {
                if ("url".equals(part.getName()) && part.getValue() instanceof PrimitiveType<?> url
                        && url.getValueAsString() != null) {
                    String fetched = source(url.getValueAsString(), request);
                    changed |= !fetched.equals(url.getValueAsString());
                    part.setValue(new UriType(fetched));
                }
            }
        }
        if (changed) {
            request.setRequestContents(parser.encodeResourceToString(parameters).getBytes(StandardCharsets.UTF_8));
        }
        return true;
    }

    private String source(String url, RequestDetails request) {
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw refused("input url '" + url + "' is not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        return switch (scheme) {
            case "http", "https" -> {
                if (uri.getHost() == null) {
                    throw refused("input url '" + url + "' names no host");
                }
                yield url.trim();
            }
            case "file" -> served(uri, url, request);
            default -> throw refused("input url '" + url + "': only http, https and (for the folders the server allows)"
                    + " file URLs can be imported");
        };
    }

    private String served(URI uri, String url, RequestDetails request) {
        if (folders.isEmpty()) {
            throw refused("input url '" + url + "': this server reads no local folder (ketafhir.server.bulk-import-folders"
                    + " is empty)");
        }
        if (uri.getRawPath() == null || !uri.getRawPath().startsWith("/")
                || (uri.getHost() != null && !uri.getHost().isEmpty() && !"localhost".equalsIgnoreCase(uri.getHost()))) {
            throw refused("input url '" + url + "' is not a file URL of an absolute local path (file:///...)");
        }
        if (List.of(uri.getPath().split("/")).contains("..")) {
            throw refused("input url '" + url + "': '..' is not allowed in a file URL");
        }
        Path file = Path.of(uri.getPath()).normalize();
        Path real = Files.isRegularFile(file) && Files.isReadable(file) ? real(file) : null;
        if (real == null || folders.stream().noneMatch(real::startsWith)) {
            throw refused("input url '" + url + "' is not a readable file inside a folder that"
                    + " ketafhir.server.bulk-import-folders allows");
        }
        if (!(request instanceof ServletRequestDetails servlet)) {
            throw refused("file URLs can only be imported through the REST endpoint");
        }
        String name = files.registerFile(new BulkImportFileServlet.IFileSupplier() {
            @Override
            public boolean isGzip() {
                return false;
            }

            @Override
            public InputStream openStream() throws IOException {
                return Files.newInputStream(real);
            }

            @Override
            public String getName() {
                return real.getFileName().toString();
            }
        });
        HttpServletRequest incoming = servlet.getServletRequest();
        return incoming.getScheme() + "://127.0.0.1:" + incoming.getLocalPort() + incoming.getContextPath()
                + FILES_PATH + "/download?" + BulkImportFileServlet.INDEX_PARAM + "="
                + URLEncoder.encode(name, StandardCharsets.UTF_8);
    }

    private static InvalidRequestException refused(String problem) {
        return new InvalidRequestException("$import refused: " + problem);
    }

    private static Path real(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
