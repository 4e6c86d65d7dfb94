package dev.stability.docs;

// tag::ops-tls[]
import dev.stability.ops.OpsEndpointSettings;
import dev.stability.ops.TlsSettings;
import java.net.InetAddress;
import java.nio.file.Path;

// end::ops-tls[]

class OpsTlsSnippet {
  OpsEndpointSettings tls(char[] keyStorePassword, char[] trustPassword) throws Exception {
    return
    // tag::ops-tls[]
    OpsEndpointSettings.builder()
        .address(InetAddress.getByName("10.0.0.1"))
        .port(9400)
        .tls(
            TlsSettings.builder(Path.of("/etc/oms/ops.p12"), keyStorePassword) // PKCS12 or JKS
                .clientCertificates(Path.of("/etc/oms/operators-ca.p12"), trustPassword) // mTLS
                .build())
        .build();
    // end::ops-tls[]
  }
}
