package kafka

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"
)

// loopback is the address the test brokers listen on, for certificates.
var loopback = []net.IP{net.ParseIP("127.0.0.1")}

// testPKI is a throwaway CA with a broker and a client certificate, in
// PEM files under a temporary directory.
type testPKI struct {
	dir                 string
	ca                  *x509.Certificate
	caKey               *ecdsa.PrivateKey
	server              tls.Certificate
	serverSerial        *big.Int
	caFile              string
	clientCert, keyFile string
}

func (p *testPKI) path(name string) string { return filepath.Join(p.dir, name) }

func (p *testPKI) write(t *testing.T, name string, blocks ...*pem.Block) string {
	t.Helper()
	var data []byte
	for _, b := range blocks {
		data = append(data, pem.EncodeToMemory(b)...)
	}
	if err := os.WriteFile(p.path(name), data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p.path(name)
}

// issue signs a certificate for the given names with the CA.
func (p *testPKI) issue(t *testing.T, serial int64, cn string, ips []net.IP, dns []string, usage x509.ExtKeyUsage) ([]byte, *ecdsa.PrivateKey) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(serial),
		Subject:      pkix.Name{CommonName: cn},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{usage},
		IPAddresses:  ips,
		DNSNames:     dns,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, p.ca, &key.PublicKey, p.caKey)
	if err != nil {
		t.Fatal(err)
	}
	return der, key
}

// newTestPKI makes a CA, a broker certificate for serverIPs and serverDNS
// (serial 2) and a client certificate (serial 3, also as an encrypted key,
// password 's3cret', and as a certificate-and-key bundle).
func newTestPKI(t *testing.T, serverIPs []net.IP, serverDNS []string) *testPKI {
	t.Helper()
	p := &testPKI{dir: t.TempDir()}
	var err error
	if p.caKey, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader); err != nil {
		t.Fatal(err)
	}
	caTmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "kstar test CA"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &p.caKey.PublicKey, p.caKey)
	if err != nil {
		t.Fatal(err)
	}
	p.ca, _ = x509.ParseCertificate(caDER)
	p.caFile = p.write(t, "ca.pem", &pem.Block{Type: "CERTIFICATE", Bytes: caDER})

	p.serverSerial = big.NewInt(2)
	serverDER, serverKey := p.issue(t, 2, "broker", serverIPs, serverDNS, x509.ExtKeyUsageServerAuth)
	p.server = tls.Certificate{Certificate: [][]byte{serverDER}, PrivateKey: serverKey}

	clientDER, clientKey := p.issue(t, 3, "client", nil, nil, x509.ExtKeyUsageClientAuth)
	keyDER, _ := x509.MarshalECPrivateKey(clientKey)
	p.clientCert = p.write(t, "client.pem", &pem.Block{Type: "CERTIFICATE", Bytes: clientDER})
	p.keyFile = p.write(t, "client.key", &pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER})
	//lint:ignore SA1019 legacy encrypted PEM is what ssl_password unlocks
	enc, err := x509.EncryptPEMBlock(rand.Reader, "EC PRIVATE KEY", keyDER, []byte("s3cret"), x509.PEMCipherAES256) //nolint:staticcheck
	if err != nil {
		t.Fatal(err)
	}
	p.write(t, "client-encrypted.key", enc)
	// The certificate and the key in one file, as load_cert_chain allows.
	p.write(t, "client-bundle.pem", &pem.Block{Type: "CERTIFICATE", Bytes: clientDER}, &pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER})
	return p
}

// crl writes a CRL of the CA revoking serial.
func (p *testPKI) crl(t *testing.T, serial *big.Int) string {
	t.Helper()
	der, err := x509.CreateRevocationList(rand.Reader, &x509.RevocationList{
		Number:                    big.NewInt(1),
		ThisUpdate:                time.Now().Add(-time.Minute),
		NextUpdate:                time.Now().Add(time.Hour),
		RevokedCertificateEntries: []x509.RevocationListEntry{{SerialNumber: serial, RevocationTime: time.Now()}},
	}, p.ca, p.caKey)
	if err != nil {
		t.Fatal(err)
	}
	return p.write(t, "revoked-"+serial.String()+".crl", &pem.Block{Type: "X509 CRL", Bytes: der})
}

// roots is a pool holding the CA, for a franz-go client that trusts it.
func (p *testPKI) roots() *x509.CertPool {
	pool := x509.NewCertPool()
	pool.AddCert(p.ca)
	return pool
}

// broker starts a one-broker kfake cluster serving TLS with the broker
// certificate (requiring a client certificate when clientAuth), plus
// extra options, and returns its bootstrap address.
func (p *testPKI) broker(t *testing.T, clientAuth bool, extra ...kfake.Opt) string {
	t.Helper()
	cfg := &tls.Config{Certificates: []tls.Certificate{p.server}, MinVersion: tls.VersionTLS12}
	if clientAuth {
		cfg.ClientAuth, cfg.ClientCAs = tls.RequireAndVerifyClientCert, p.roots()
	}
	// kfake directly: the embedded broker's start-up probe speaks plaintext.
	c, err := kfake.NewCluster(append([]kfake.Opt{kfake.NumBrokers(1), kfake.AllowAutoTopicCreation(), kfake.DefaultNumPartitions(3), kfake.TLS(cfg)}, extra...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return strings.Join(c.ListenAddrs(), ",")
}
