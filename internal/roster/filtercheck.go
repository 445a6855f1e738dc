package roster

import "fugong/internal/input"

// Certificates are the values of the certificate filter.
var Certificates = []string{CertificateMissing, CertificatePresent}

// Check refuses filter values that name nothing: a phase not among Phases, a certificate
// filter other than missing or present. An empty value filters nothing.
func (f Filter) Check() error {
	return input.Join(input.OneOf("phase", string(f.Phase), Phases), input.OneOf("certificate", f.Certificate, Certificates))
}
