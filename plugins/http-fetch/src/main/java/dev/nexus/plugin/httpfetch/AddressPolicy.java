package dev.nexus.plugin.httpfetch;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * Says whether an address is one a fetch tool must not reach by default: loopback, private
 * (RFC 1918, IPv6 unique local), link-local (including cloud metadata at 169.254.169.254),
 * carrier-grade NAT, "this network", multicast, broadcast, benchmarking and IETF-reserved ranges,
 * and IPv6 forms that embed such an IPv4 address (IPv4-compatible, NAT64). Stateless.
 */
final class AddressPolicy {

    private AddressPolicy() {}

    /** Returns true when {@code address} is not a public unicast address. */
    static boolean isPrivate(InetAddress address) {
        if (address.isAnyLocalAddress()
                || address.isLoopbackAddress()
                || address.isLinkLocalAddress()
                || address.isSiteLocalAddress()
                || address.isMulticastAddress()) {
            return true;
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            return isPrivateV4(bytes);
        }
        if (address instanceof Inet6Address) {
            int first = bytes[0] & 0xff;
            if ((first & 0xfe) == 0xfc) {
                return true; // fc00::/7 unique local
            }
            if (allZero(bytes, 0, 12)) {
                return isPrivateV4(slice(bytes, 12)); // ::a.b.c.d, IPv4-compatible
            }
            if (startsWith(bytes, new byte[] {0x00, 0x64, (byte) 0xff, (byte) 0x9b, 0, 0, 0, 0, 0, 0, 0, 0})) {
                return isPrivateV4(slice(bytes, 12)); // 64:ff9b::/96, NAT64
            }
            if (first == 0x20 && (bytes[1] & 0xff) == 0x02) {
                return isPrivateV4(slice(bytes, 2)); // 2002::/16, 6to4 embeds an IPv4 address
            }
            return startsWith(bytes, new byte[] {0x20, 0x01, 0x0d, (byte) 0xb8}); // 2001:db8::/32 documentation
        }
        return true;
    }

    private static boolean isPrivateV4(byte[] b) {
        int a = b[0] & 0xff;
        int second = b[1] & 0xff;
        return a == 0 // this network
                || a == 10
                || a == 127
                || (a == 100 && second >= 64 && second <= 127) // carrier-grade NAT
                || (a == 169 && second == 254)
                || (a == 172 && second >= 16 && second <= 31)
                || (a == 192 && second == 168)
                || (a == 192 && second == 0 && (b[2] & 0xff) == 0) // IETF protocol assignments
                || (a == 198 && (second == 18 || second == 19)) // benchmarking
                || a >= 224; // multicast, reserved, broadcast
    }

    private static byte[] slice(byte[] bytes, int from) {
        byte[] v4 = new byte[4];
        System.arraycopy(bytes, from, v4, 0, 4);
        return v4;
    }

    private static boolean allZero(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        for (int i = 0; i < prefix.length; i++) {
            if (bytes[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
