package auth

import (
	"strings"
	"testing"

	"fugong/internal/apperr"
)

func TestParseProxies(t *testing.T) {
	for _, c := range []struct {
		in   string
		want string // the blocks, or the problem's entries
		ok   bool
	}{
		{"", "[]", true},
		{"10.0.0.0/8", "[10.0.0.0/8]", true},
		{"10.1.2.3/8, 192.168.1.10 fd00::/8", "[10.0.0.0/8 192.168.1.10/32 fd00::/8]", true},
		{"::ffff:10.0.0.0/104,2001:db8::1", "[10.0.0.0/8 2001:db8::1/128]", true},
		{"10.0.0.0/33", "10.0.0.0/33", false},
		{"proxy.internal, 10.0.0.1, fe80::1%eth0", "proxy.internal fe80::1%eth0", false},
	} {
		ps, err := ParseProxies(c.in)
		if (err == nil) != c.ok {
			t.Errorf("ParseProxies(%q): %v; want ok=%v", c.in, err, c.ok)
			continue
		}
		if c.ok {
			var got []string
			for _, p := range ps {
				got = append(got, p.String())
			}
			if s := "[" + strings.Join(got, " ") + "]"; s != c.want {
				t.Errorf("ParseProxies(%q) = %s; want %s", c.in, s, c.want)
			}
			continue
		}
		e, _ := apperr.As(err)
		if e == nil || e.Kind != apperr.Invalid {
			t.Fatalf("ParseProxies(%q): %v; want invalid", c.in, err)
		}
		for _, bad := range strings.Fields(c.want) {
			found := false
			for _, p := range e.Problems {
				found = found || (p.Field == "trusted_proxies" && strings.Contains(p.MessageEN, bad) && strings.Contains(p.Message, bad))
			}
			if !found {
				t.Errorf("ParseProxies(%q): no problem names %q: %+v", c.in, bad, e.Problems)
			}
		}
		if len(e.Problems) != len(strings.Fields(c.want)) {
			t.Errorf("ParseProxies(%q): %d problems; want %d", c.in, len(e.Problems), len(strings.Fields(c.want)))
		}
	}
}

func TestClientAddr(t *testing.T) {
	proxies, err := ParseProxies("10.0.0.0/24, 2001:db8:ffff::/48")
	if err != nil {
		t.Fatal(err)
	}
	long := strings.TrimSuffix(strings.Repeat("10.0.0.9, ", maxHops+1), ", ")
	for _, c := range []struct {
		name      string
		peer      string
		forwarded []string
		trusted   Proxies
		want      string
	}{
		{"no proxies configured: the header is ignored", "10.0.0.1:4711", []string{"203.0.113.7"}, nil, "10.0.0.1"},
		{"a peer that is no trusted proxy cannot name another client", "198.51.100.3:4711", []string{"203.0.113.7"}, proxies, "198.51.100.3"},
		{"no header from the proxy: the proxy", "10.0.0.1:4711", nil, proxies, "10.0.0.1"},
		{"an empty header", "10.0.0.1:4711", []string{" "}, proxies, "10.0.0.1"},
		{"the proxy names the client", "10.0.0.1:4711", []string{"203.0.113.7"}, proxies, "203.0.113.7"},
		{"what the client wrote left of it is not believed", "10.0.0.1:4711", []string{"1.2.3.4, 203.0.113.7"}, proxies, "203.0.113.7"},
		{"several headers are one list", "10.0.0.1:4711", []string{"1.2.3.4", "203.0.113.7"}, proxies, "203.0.113.7"},
		{"an inner trusted proxy is skipped", "10.0.0.1:4711", []string{"1.2.3.4, 203.0.113.7, 10.0.0.2"}, proxies, "203.0.113.7"},
		{"every hop a trusted proxy: the left-most", "10.0.0.1:4711", []string{"10.0.0.3, 10.0.0.2"}, proxies, "10.0.0.3"},
		{"an entry with a port", "10.0.0.1:4711", []string{"203.0.113.7:5555"}, proxies, "203.0.113.7"},
		{"IPv6 with a port", "[2001:db8:ffff::1]:443", []string{"[2001:db8:1::7]:443"}, proxies, "2001:db8:1::7"},
		{"IPv6 without one", "[2001:db8:ffff::1]:443", []string{"2001:db8:1::7"}, proxies, "2001:db8:1::7"},
		{"an IPv4-mapped peer and entry", "[::ffff:10.0.0.1]:4711", []string{"::ffff:203.0.113.7"}, proxies, "203.0.113.7"},
		{"malformed: not an address", "10.0.0.1:4711", []string{"not-an-ip"}, proxies, "10.0.0.1"},
		{"malformed: garbage right of the client", "10.0.0.1:4711", []string{"203.0.113.7, garbage"}, proxies, "10.0.0.1"},
		{"malformed: garbage left of the client is never read", "10.0.0.1:4711", []string{"garbage, 203.0.113.7"}, proxies, "203.0.113.7"},
		{"malformed: an empty entry", "10.0.0.1:4711", []string{"203.0.113.7,"}, proxies, "10.0.0.1"},
		{"malformed: a zone", "10.0.0.1:4711", []string{"fe80::1%eth0"}, proxies, "10.0.0.1"},
		{"malformed: a host name", "10.0.0.1:4711", []string{"client.example"}, proxies, "10.0.0.1"},
		{"malformed: a chain too long to read", "10.0.0.1:4711", []string{"203.0.113.7, " + long}, proxies, "10.0.0.1"},
		{"a peer without a port", "10.0.0.1", []string{"203.0.113.7"}, proxies, "203.0.113.7"},
		{"a peer that is no address", "@", []string{"203.0.113.7"}, proxies, "@"},
	} {
		if got := ClientAddr(c.peer, c.forwarded, c.trusted); got != c.want {
			t.Errorf("%s: ClientAddr(%q, %q) = %q; want %q", c.name, c.peer, c.forwarded, got, c.want)
		}
	}
}
