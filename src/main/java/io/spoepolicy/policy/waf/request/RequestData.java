package io.spoepolicy.policy.waf.request;

import io.spoepolicy.policy.waf.InspectionCap;
import io.spoepolicy.policy.waf.InspectionLimits;
import io.spoepolicy.policy.waf.WafRequest;
import io.spoepolicy.policy.waf.transform.UrlDecoding;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A {@link WafRequest} taken apart into the collections rules inspect: arguments from the query
 * and the body (urlencoded, multipart, JSON, XML), cookies, files, and the derived URI parts.
 * Built once per evaluation; not shared between threads.
 */
public final class RequestData {

    public final String method;
    public final String protocol;
    public final String uriRaw;
    public final String uri;
    public final String queryString;
    public final String filename;
    public final String basename;
    public final String requestLine;
    public final String remoteAddr;
    public final String contentType;
    public final int bodyLength;
    public final List<Entry> headers;
    public final List<Entry> cookies;
    public final List<Entry> argsGet = new ArrayList<>();
    public final List<Entry> argsPost = new ArrayList<>();
    public final List<Entry> files = new ArrayList<>();
    public final List<Entry> fileNames = new ArrayList<>();
    public final List<Entry> multipartPartHeaders = new ArrayList<>();
    public final List<Entry> xml = new ArrayList<>();
    public long filesCombinedSize;
    public String body;
    public String bodyProcessor;
    private final int maxArgs;
    private final Set<InspectionCap> caps = EnumSet.noneOf(InspectionCap.class);

    public RequestData(WafRequest request, InspectionLimits limits) {
        this.maxArgs = limits.maxArgs();
        method = ByteStrings.of(request.method());
        protocol = ByteStrings.of(request.protocol());
        String path = ByteStrings.of(request.path());
        queryString = ByteStrings.of(request.query());
        uriRaw = queryString.isEmpty() ? path : path + "?" + queryString;
        String localPath = stripAuthority(path);
        uri = queryString.isEmpty() ? localPath : localPath + "?" + queryString;
        filename = UrlDecoding.decodePercent(localPath);
        int slash = filename.lastIndexOf('/');
        basename = slash < 0 ? filename : filename.substring(slash + 1);
        requestLine = method + " " + uriRaw + " " + protocol;
        remoteAddr = request.clientIp() == null ? "" : request.clientIp().getHostAddress();

        headers = new ArrayList<>(request.headers().size());
        cookies = new ArrayList<>();
        String ct = null;
        for (Map.Entry<String, String> h : request.headers()) {
            String name = ByteStrings.of(h.getKey()).toLowerCase(Locale.ROOT);
            String value = ByteStrings.of(h.getValue());
            headers.add(new Entry(name, value));
            if (name.equals("cookie")) {
                parseCookies(value, cookies);
            } else if (name.equals("content-type") && ct == null) {
                ct = value;
            }
        }
        contentType = ct;

        if (!FormUrlEncoded.parse(queryString, argsGet, maxArgs)) {
            caps.add(InspectionCap.ARGS_COUNT);
        }
        byte[] raw = request.body();
        int inspected = Math.min(raw.length, limits.maxBodyBytes());
        if (inspected < raw.length) {
            caps.add(InspectionCap.BODY_BYTES);
        }
        bodyLength = raw.length;
        body = ByteStrings.of(raw, inspected);
        parseBody(processorFor(contentType));
    }

    /** Re-parses the body with another processor ({@code ctl:requestBodyProcessor}). */
    public void parseBody(String processor) {
        argsPost.clear();
        files.clear();
        fileNames.clear();
        multipartPartHeaders.clear();
        xml.clear();
        filesCombinedSize = 0;
        bodyProcessor = processor == null ? "" : processor;
        if (body.isEmpty()) {
            return;
        }
        int room = Math.max(0, maxArgs - argsGet.size());
        boolean complete = true;
        switch (bodyProcessor) {
            case "URLENCODED" -> complete = FormUrlEncoded.parse(body, argsPost, room);
            case "JSON" -> complete = JsonFlattener.parse(body, argsPost, room);
            case "XML" -> XmlExtractor.parse(body, xml, maxArgs);
            case "MULTIPART" -> {
                String boundary = contentType == null ? null : MultipartParser.boundary(contentType);
                if (boundary != null && !boundary.isEmpty()) {
                    MultipartParser.Result r = MultipartParser.parse(body, boundary, argsPost, files,
                            fileNames, multipartPartHeaders, room);
                    complete = !r.truncated();
                    filesCombinedSize = r.fileBytes();
                }
            }
            default -> { }
        }
        if (!complete) {
            caps.add(InspectionCap.ARGS_COUNT);
        }
    }

    /**
     * REQUEST_BODY: the raw body when it is urlencoded or has no structured processor, as in
     * ModSecurity; JSON, XML and multipart bodies are inspected through ARGS, XML and FILES.
     */
    public String requestBody() {
        return bodyProcessor.isEmpty() || bodyProcessor.equals("URLENCODED") ? body : "";
    }

    public Set<InspectionCap> caps() {
        return caps;
    }

    public void addCap(InspectionCap cap) {
        caps.add(cap);
    }

    /** The body processor the content type selects, as ModSecurity's recommended setup does. */
    static String processorFor(String contentType) {
        if (contentType == null) {
            return "";
        }
        String ct = contentType.trim().toLowerCase(Locale.ROOT);
        if (ct.startsWith("application/x-www-form-urlencoded")) {
            return "URLENCODED";
        }
        if (ct.startsWith("multipart/form-data")) {
            return "MULTIPART";
        }
        String mime = ct.split(";", 2)[0].trim();
        if (mime.equals("application/json") || (mime.startsWith("application/") && mime.endsWith("+json"))) {
            return "JSON";
        }
        if (mime.equals("text/xml") || mime.equals("application/xml") || mime.equals("application/soap+xml")
                || (mime.startsWith("application/") && mime.endsWith("+xml"))) {
            return "XML";
        }
        return "";
    }

    private static String stripAuthority(String path) {
        int scheme = path.indexOf("://");
        if (scheme > 0 && path.indexOf('/') > scheme) {
            int slash = path.indexOf('/', scheme + 3);
            return slash < 0 ? "/" : path.substring(slash);
        }
        return path;
    }

    private static void parseCookies(String header, List<Entry> out) {
        for (String part : header.split(";")) {
            String p = part.strip();
            if (p.isEmpty()) {
                continue;
            }
            int eq = p.indexOf('=');
            if (eq < 0) {
                out.add(new Entry(p, ""));
            } else if (eq > 0) {
                out.add(new Entry(p.substring(0, eq).strip(), p.substring(eq + 1)));
            }
        }
    }
}
