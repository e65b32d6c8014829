package dev.mcpgw.observability.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away certificate authority with a server certificate for {@code 127.0.0.1}/{@code localhost} and a client
 * certificate, all written as PEM files (the form {@code OTEL_EXPORTER_OTLP_CERTIFICATE}, {@code _CLIENT_KEY} and
 * {@code _CLIENT_CERTIFICATE} take) into a directory; keys are unencrypted PKCS#8.
 *
 * @param caPem the CA certificate (what clients trust)
 * @param serverCertPem the server certificate chain
 * @param serverKeyPem the server key
 * @param clientCertPem the client certificate chain
 * @param clientKeyPem the client key
 */
public record TestCertificates(Path caPem, Path serverCertPem, Path serverKeyPem, Path clientCertPem,
    Path clientKeyPem, X509Certificate ca, X509Certificate server, PrivateKey serverKey, X509Certificate client,
    PrivateKey clientKey) {

  private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());
  private static final char[] PASSWORD = "changeit".toCharArray();

  /** A fresh CA, server and client certificate in {@code dir}; {@code name} distinguishes several CAs. */
  public static TestCertificates create(Path dir, String name) {
    try {
      Files.createDirectories(dir);
      KeyPair caKeys = keys();
      X500Name caName = new X500Name("CN=mcpgw test CA " + name);
      X509Certificate ca = sign(caName, caKeys, caName, caKeys.getPublic(), true, null, null);
      KeyPair serverKeys = keys();
      X509Certificate server = sign(caName, caKeys, new X500Name("CN=localhost"), serverKeys.getPublic(), false,
          new GeneralNames(new GeneralName[] {
            new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")}),
          KeyPurposeId.id_kp_serverAuth);
      KeyPair clientKeys = keys();
      X509Certificate client = sign(caName, caKeys, new X500Name("CN=mcpgw test client"), clientKeys.getPublic(),
          false, null, KeyPurposeId.id_kp_clientAuth);
      return new TestCertificates(
          write(dir.resolve(name + "-ca.pem"), pem("CERTIFICATE", ca.getEncoded())),
          write(dir.resolve(name + "-server.pem"), pem("CERTIFICATE", server.getEncoded())),
          write(dir.resolve(name + "-server-key.pem"), pem("PRIVATE KEY", serverKeys.getPrivate().getEncoded())),
          write(dir.resolve(name + "-client.pem"), pem("CERTIFICATE", client.getEncoded())),
          write(dir.resolve(name + "-client-key.pem"), pem("PRIVATE KEY", clientKeys.getPrivate().getEncoded())),
          ca, server, serverKeys.getPrivate(), client, clientKeys.getPrivate());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException | org.bouncycastle.operator.OperatorCreationException e) {
      throw new IllegalStateException("cannot make test certificates", e);
    }
  }

  /** The server's key and certificate as an in-memory key store (password {@link #password()}). */
  public KeyStore serverKeyStore() {
    return keyStore("server", serverKey, server);
  }

  /** A trust store holding only this CA. */
  public KeyStore trustStore() {
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setCertificateEntry("ca", ca);
      return ks;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String password() {
    return new String(PASSWORD);
  }

  private KeyStore keyStore(String alias, PrivateKey key, X509Certificate cert) {
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry(alias, key, PASSWORD, new Certificate[] {cert, ca});
      return ks;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static KeyPair keys() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(256);
    return generator.generateKeyPair();
  }

  private static X509Certificate sign(X500Name issuer, KeyPair issuerKeys, X500Name subject,
      java.security.PublicKey subjectKey, boolean isCa, GeneralNames altNames, KeyPurposeId purpose)
      throws IOException, GeneralSecurityException, org.bouncycastle.operator.OperatorCreationException {
    Instant now = Instant.now();
    X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer,
        BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(now.minus(Duration.ofHours(1))),
        Date.from(now.plus(Duration.ofDays(2))), subject, subjectKey);
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
    if (isCa) {
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    } else {
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
    }
    if (altNames != null) {
      builder.addExtension(Extension.subjectAlternativeName, false, altNames);
    }
    return new JcaX509CertificateConverter().getCertificate(
        builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  private static Path write(Path file, String content) throws IOException {
    return Files.writeString(file, content);
  }
}
