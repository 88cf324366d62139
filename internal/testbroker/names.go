package testbroker

import (
	"crypto/rand"
	"encoding/hex"
	"testing"
)

// UniqueName returns a topic or group name no other test uses:
// prefix-TESTNAME-RANDOM, with characters Kafka rejects in topic names
// replaced by '-', at most 200 characters.
func UniqueName(t testing.TB, prefix string) string {
	var b [4]byte
	_, _ = rand.Read(b[:])
	name := unsafeChars.ReplaceAllString(prefix+"-"+t.Name(), "-")
	if len(name) > 190 {
		name = name[:190]
	}
	return name + "-" + hex.EncodeToString(b[:])
}
