package golden

import "testing"

func TestNormalise(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"timestamp=1795523301800, offset=1000", "timestamp=<TIMESTAMP>, offset=1000"},
		{"timestamp=1000", "timestamp=1000"},
		{"<kafka.producer.future.FutureRecordMetadata object at 0x7f3e0ca9a3d0>", "<kafka.producer.future.FutureRecordMetadata object at 0x<ADDR>>"},
		{"bootstrap 127.0.0.1:40297,127.0.0.1:40298", "bootstrap 127.0.0.1:<PORT>,127.0.0.1:<PORT>"},
		{"offset=12345678901234", "offset=12345678901234"},
	} {
		if got := Normalise(tc.in); got != tc.want {
			t.Errorf("Normalise(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestDiff(t *testing.T) {
	for _, tc := range []struct{ name, want, got, diff string }{
		{"equal", "a\nb\n", "a\nb\n", ""},
		{"changed line", "a\nb\nc\n", "a\nB\nc\n", "--- want\n+++ got\n@@ -1 +1 @@\n a\n-b\n+B\n c\n"},
		{"added at end", "a\n", "a\nb\n", "--- want\n+++ got\n@@ -1 +1 @@\n a\n+b\n"},
		{"removed first", "a\nb\n", "b\n", "--- want\n+++ got\n@@ -1 +1 @@\n-a\n b\n"},
		{"no final newline", "a\n", "a", "--- want\n+++ got\n@@ -1 +1 @@\n-a\n+a\\ No newline at end of file\n"},
		{"two hunks", "1\n2\n3\n4\n5\n6\n7\n8\n9\n", "1\nX\n3\n4\n5\n6\n7\nY\n9\n",
			"--- want\n+++ got\n@@ -1 +1 @@\n 1\n-2\n+X\n 3\n 4\n@@ -6 +6 @@\n 6\n 7\n-8\n+Y\n 9\n"},
	} {
		if got := Diff(tc.want, tc.got); got != tc.diff {
			t.Errorf("%s: Diff =\n%s\nwant\n%s", tc.name, got, tc.diff)
		}
	}
}
