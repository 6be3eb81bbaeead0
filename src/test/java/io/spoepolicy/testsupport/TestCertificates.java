package io.spoepolicy.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLSocketFactory;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A throw-away PKI made with {@code openssl} at test time (private keys are never committed): a CA,
 * the agent's certificate for {@code localhost}/{@code 127.0.0.1}, a client certificate for
 * HAProxy signed by the same CA, and a client certificate signed by an unrelated CA. EC P-256
 * keys, valid for two days.
 */
public final class TestCertificates implements AutoCloseable {

    private final Path directory;

    private TestCertificates(Path directory) {
        this.directory = directory;
    }

    public static TestCertificates create() {
        Path directory = TempDirs.create("pki-");
        TestCertificates pki = new TestCertificates(directory);
        try {
            pki.authority("ca");
            pki.authority("rogue-ca");
            pki.leaf("server", "ca", "localhost", "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
            pki.leaf("client", "ca", "haproxy", "extendedKeyUsage=clientAuth\n");
            pki.leaf("rogue-client", "rogue-ca", "haproxy", "extendedKeyUsage=clientAuth\n");
            // HAProxy's "crt" wants certificate and key in one file.
            for (String name : List.of("client", "rogue-client")) {
                Files.writeString(directory.resolve(name + "-bundle.pem"),
                        Files.readString(pki.certificate(name)) + Files.readString(pki.privateKey(name)));
            }
            return pki;
        }
        catch (IOException | RuntimeException ex) {
            pki.close();
            throw ex instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) ex;
        }
    }

    public Path directory() {
        return directory;
    }

    public Path caCertificate() {
        return certificate("ca");
    }

    public Path certificate(String name) {
        return directory.resolve(name + ".pem");
    }

    public Path privateKey(String name) {
        return directory.resolve(name + ".key");
    }

    /** Certificate and key in one PEM file, for HAProxy's {@code crt}: "client" or "rogue-client". */
    public Path haproxyBundle(String name) {
        return directory.resolve(name + "-bundle.pem");
    }

    /**
     * Issues a new key and certificate for the agent and swaps both in at once (a rotation, as
     * cert-manager does it). Made in place, the new key would sit next to the old certificate for
     * as long as the second openssl run takes, longer than a short watch quiet period on a loaded
     * machine: a reload in that moment serves a key that does not match its certificate and every
     * handshake fails until the next reload. Two renames microseconds apart fall within one quiet
     * period instead, so a reload sees the old pair or the new one.
     */
    public void reissueServer() {
        try {
            leaf("server-next", "ca", "localhost",
                    "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
            Files.move(privateKey("server-next"), privateKey("server"), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
            Files.move(certificate("server-next"), certificate("server"), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** Spring properties of a PEM SSL bundle named {@code bundle} serving the agent's certificate. */
    public List<String> serverBundleProperties(String bundle) {
        String prefix = "spring.ssl.bundle.pem." + bundle + ".";
        return List.of(prefix + "keystore.certificate=file:" + certificate("server"),
                prefix + "keystore.private-key=file:" + privateKey("server"),
                prefix + "truststore.certificate=file:" + caCertificate());
    }

    /** Registers {@link #serverBundleProperties} for a {@code @DynamicPropertySource}. */
    public void registerServerBundle(String bundle, DynamicPropertyRegistry registry) {
        for (String property : serverBundleProperties(bundle)) {
            int equals = property.indexOf('=');
            registry.add(property.substring(0, equals), () -> property.substring(equals + 1));
        }
    }

    /** A client trusting the test CA, presenting {@code clientName}'s certificate, or none if null. */
    public SSLSocketFactory clientSocketFactory(String clientName) {
        PemSslStoreDetails trust = PemSslStoreDetails.forCertificate(read(caCertificate()));
        PemSslStoreDetails key = clientName == null ? null
                : PemSslStoreDetails.forCertificate(read(certificate(clientName))).withPrivateKey(read(privateKey(clientName)));
        return SslBundle.of(new PemSslStoreBundle(key, trust)).createSslContext().getSocketFactory();
    }

    private void authority(String name) {
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", name + ".key", "-out", name + ".pem", "-days", "2", "-subj", "/CN=spoe-test-" + name,
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
    }

    private void leaf(String name, String issuer, String commonName, String extensions) throws IOException {
        Files.writeString(directory.resolve(name + ".ext"), extensions, StandardCharsets.US_ASCII);
        openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", name + ".key", "-out", name + ".csr", "-subj", "/CN=" + commonName);
        openssl("x509", "-req", "-in", name + ".csr", "-CA", issuer + ".pem", "-CAkey", issuer + ".key",
                "-CAcreateserial", "-out", name + ".pem", "-days", "2", "-extfile", name + ".ext");
    }

    private void openssl(String... arguments) {
        List<String> command = new ArrayList<>(List.of(Binaries.require("openssl", "apt-get install openssl").toString()));
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
            process.getOutputStream().close();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException(command + " failed:\n" + new String(output, StandardCharsets.UTF_8));
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    private static String read(Path path) {
        try {
            return Files.readString(path);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    @Override
    public void close() {
        TempDirs.deleteUnlessKept(directory);
    }
}
