package auth

import (
	"net/netip"
	"strings"

	"fugong/internal/apperr"
)

// Proxies are the reverse proxies whose X-Forwarded-For header is believed. Without any,
// the header is ignored: anyone can write it.
type Proxies []netip.Prefix

// ParseProxies reads a list of proxies: CIDR blocks or single addresses, separated by
// commas or spaces ("10.0.0.0/8, 192.168.1.10, fd00::/8"). "" is none.
func ParseProxies(list string) (Proxies, error) {
	var ps Proxies
	var problems apperr.Problems
	for _, f := range strings.FieldsFunc(list, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\n' }) {
		p, err := netip.ParsePrefix(f)
		if err != nil {
			a, aerr := netip.ParseAddr(f)
			if aerr != nil || a.Zone() != "" {
				problems.Add("trusted_proxies", "“"+f+"”不是 IP 地址或 CIDR 网段(如 10.0.0.0/8)",
					"“"+f+"” is not an IP address or CIDR block (such as 10.0.0.0/8)")
				continue
			}
			a = a.Unmap()
			p = netip.PrefixFrom(a, a.BitLen())
		} else if p.Addr().Is4In6() && p.Bits() >= 96 {
			p = netip.PrefixFrom(p.Addr().Unmap(), p.Bits()-96)
		}
		ps = append(ps, p.Masked())
	}
	if err := problems.Err(); err != nil {
		return nil, err
	}
	return ps, nil
}

// Contains reports whether a lies in one of the proxies' blocks.
func (ps Proxies) Contains(a netip.Addr) bool {
	a = a.Unmap().WithZone("")
	for _, p := range ps {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// maxHops is how many X-Forwarded-For entries are read before the chain is given up.
const maxHops = 32

// ClientAddr is the address a request comes from, as throttling and the audit trail count
// it. peer is the connection's remote address ("host:port"); forwarded the values of its
// X-Forwarded-For headers. The header is read only when the peer is a trusted proxy: its
// entries, from the right, are skipped while they are trusted proxies too, and the first
// one that is not is the client. A malformed entry, or a chain longer than maxHops, ends
// the reading and the peer is the client; when every entry is a trusted proxy, the
// left-most is.
func ClientAddr(peer string, forwarded []string, trusted Proxies) string {
	p, ok := parseHost(peer)
	if !ok {
		return peer
	}
	client := p.String()
	if len(trusted) == 0 || !trusted.Contains(p) {
		return client
	}
	var entries []string
	for _, v := range forwarded {
		entries = append(entries, strings.Split(v, ",")...)
	}
	if strings.TrimSpace(strings.Join(entries, "")) == "" {
		return client // no header, or an empty one
	}
	last := ""
	for i, hops := len(entries)-1, 1; i >= 0; i, hops = i-1, hops+1 {
		a, ok := parseHost(strings.TrimSpace(entries[i]))
		if !ok || hops > maxHops {
			return client
		}
		if !trusted.Contains(a) {
			return a.String()
		}
		last = a.String()
	}
	return last
}

// parseHost reads an address with or without a port ("203.0.113.7", "203.0.113.7:4711",
// "[2001:db8::1]:443", "2001:db8::1"), without a zone, in its plain form.
func parseHost(s string) (netip.Addr, bool) {
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().Unmap().WithZone(""), true
	}
	a, err := netip.ParseAddr(strings.TrimSuffix(strings.TrimPrefix(s, "["), "]"))
	if err != nil || a.Zone() != "" {
		return netip.Addr{}, false
	}
	return a.Unmap(), true
}
