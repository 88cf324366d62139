package kafka

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"os"
	"strings"
	"testing"
)

// TestWrongKeyPasswordAlwaysRefused tries many wrong ssl_passwords on a
// legacy PEM-encrypted key: each must be refused as a wrong password.
// Legacy PEM encryption checks only the padding, which about one wrong
// password in 256 passes; the key that comes out then does not parse.
func TestWrongKeyPasswordAlwaysRefused(t *testing.T) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, _ := x509.MarshalECPrivateKey(key)
	//lint:ignore SA1019 legacy encrypted PEM is what ssl_password unlocks
	enc, err := x509.EncryptPEMBlock(rand.Reader, "EC PRIVATE KEY", der, []byte("s3cret"), x509.PEMCipherAES256)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{
		"cert.pem": pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: []byte("unused: the key fails first")}),
		"key.pem":  pem.EncodeToMemory(enc),
	}
	env := &KafkaEnv{ReadFile: func(name string) ([]byte, error) {
		if b, ok := files[name]; ok {
			return b, nil
		}
		return nil, os.ErrNotExist
	}}
	const want = "ssl_password: cannot decrypt the key: x509: decryption password incorrect"
	for i := range 2000 {
		_, err := loadClientCert(env, "cert.pem", "key.pem", fmt.Sprintf("wrong-%d", i))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Fatalf("password wrong-%d: got %v, want %q", i, err, want)
		}
	}
}
