package dev.nexus.plugin.httpfetch;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AddressPolicyTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "127.0.0.1",
                "127.8.9.10",
                "10.0.0.1",
                "172.16.5.4",
                "172.31.255.255",
                "192.168.1.1",
                "169.254.169.254",
                "100.64.0.1",
                "100.127.255.254",
                "0.0.0.0",
                "0.1.2.3",
                "192.0.0.8",
                "198.18.0.1",
                "224.0.0.1",
                "255.255.255.255",
                "::1",
                "::",
                "fe80::1",
                "fc00::1",
                "fd12:3456::1",
                "::ffff:10.0.0.1",
                "::10.0.0.1",
                "64:ff9b::a00:1",
                "2002:c0a8:0101::1",
                "2001:db8::5",
                "ff02::1",
                "fec0::1"
            })
    void isPrivate_localAndReservedAddresses_areRefused(String literal) throws UnknownHostException {
        assertThat(AddressPolicy.isPrivate(InetAddress.getByName(literal))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "93.184.216.34",
                "8.8.8.8",
                "1.1.1.1",
                "172.32.0.1",
                "100.128.0.1",
                "192.169.0.1",
                "2606:4700::1111",
                "2a00:1450:4001::200e",
                "64:ff9b::808:808",
                "2002:0808:0808::1"
            })
    void isPrivate_publicAddresses_areAllowed(String literal) throws UnknownHostException {
        assertThat(AddressPolicy.isPrivate(InetAddress.getByName(literal))).isFalse();
    }
}
