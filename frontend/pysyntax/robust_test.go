package pysyntax

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// TestDeepInput checks that input nested deeper than CPython allows gets
// CPython's error quickly, without a Go stack overflow, and that input just
// within the limits parses.
func TestDeepInput(t *testing.T) {
	const recursion = "maximum recursion depth exceeded during ast construction"
	for _, tc := range []struct {
		name, src, kind, msg string
	}{
		{"5,000,000-term sum", "x = 1" + strings.Repeat("+1", 5_000_000-1) + "\n", "RecursionError", recursion},
		{"200 brackets", "x = " + strings.Repeat("[", 199) + strings.Repeat("]", 199) + "\n", "", ""},
		{"201 brackets", "x = " + strings.Repeat("(", 201) + strings.Repeat(")", 201) + "\n", "SyntaxError", "too many nested parentheses"},
		{"1,000,000 brackets", "x = " + strings.Repeat("(", 1_000_000) + "\n", "SyntaxError", "too many nested parentheses"},
		{"2,900-term sum", "x = 1" + strings.Repeat("+1", 2899) + "\n", "", ""},
		{"unary minus", "x = " + strings.Repeat("-", 1_000_000) + "1\n", "RecursionError", recursion},
		{"not", "x = " + strings.Repeat("not ", 1_000_000) + "1\n", "RecursionError", recursion},
		{"power", "x = 2" + strings.Repeat("**2", 1_000_000) + "\n", "RecursionError", recursion},
		{"lambda", "x = " + strings.Repeat("lambda: ", 1_000_000) + "1\n", "RecursionError", recursion},
		{"conditional", "x = " + strings.Repeat("1 if 1 else ", 1_000_000) + "1\n", "RecursionError", recursion},
		{"attributes", "x = a" + strings.Repeat(".b", 1_000_000) + "\n", "RecursionError", recursion},
		{"calls", "x = a" + strings.Repeat("()", 1_000_000) + "\n", "RecursionError", recursion},
		{"elif", "if 1: pass\n" + strings.Repeat("elif 1: pass\n", 1_000_000), "RecursionError", recursion},
		// Chains within chains: each under the limit, together over it.
		{"attributes in a sum", "x = (a" + strings.Repeat(".b", 2000) + ")" + strings.Repeat(" + 1", 2000) + "\n", "RecursionError", recursion},
		{"attributes in an f-string in a sum", "x = f'{a" + strings.Repeat(".b", 2000) + "}'" + strings.Repeat(" + 1", 2000) + "\n", "RecursionError", recursion},
		{"99 indents", nestedIfs(99), "", ""},
		{"100 indents", nestedIfs(100), "IndentationError", "too many levels of indentation"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			mod, err := Parse("<deep>", []byte(tc.src))
			if tc.kind == "" {
				if err != nil {
					t.Fatal(err)
				}
				Dump(mod)
				return
			}
			var e *Error
			if !errors.As(err, &e) || e.Kind != tc.kind || e.Msg != tc.msg {
				t.Fatalf("got %v, want %s: %s", err, tc.kind, tc.msg)
			}
			t.Logf("%s after %v", e.Kind, time.Since(start))
		})
	}
}

func nestedIfs(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteString(strings.Repeat(" ", i) + "if 1:\n")
	}
	b.WriteString(strings.Repeat(" ", n) + "pass\n")
	return b.String()
}

// TestNULByte checks that a NUL byte is an error, not the end of input.
func TestNULByte(t *testing.T) {
	_, err := Parse("nul.py", []byte("x = 1\ny = 2\x00\nz = 3\n"))
	var e *Error
	if !errors.As(err, &e) || e.Msg != "source code cannot contain null bytes" || e.Line != 2 {
		t.Fatalf("got %v", err)
	}
}

// TestSourceEncodings covers the BOM, coding declarations and newlines.
func TestSourceEncodings(t *testing.T) {
	for _, tc := range []struct {
		name, src, want, err string
	}{
		{"BOM", "\xef\xbb\xbfx = 'é'\n", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Constant(value='é'))], type_ignores=[])", ""},
		{"latin-1", "# -*- coding: latin-1 -*-\nx = '\xe9'\n", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Constant(value='é'))], type_ignores=[])", ""},
		{"coding on line 2", "#!/usr/bin/env python\n# vim: set fileencoding=iso-8859-1 :\nx = '\xe9'\n", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Constant(value='é'))], type_ignores=[])", ""},
		{"ASCII in koi8-r", "# coding: koi8-r\nx = 1\n", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Constant(value=1))], type_ignores=[])", ""},
		{"koi8-r", "# coding: koi8-r\nx = '\xc1'\n", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Constant(value='а'))], type_ignores=[])", ""},
		{"C1 control in ISO 8859-5", "# coding: iso-8859-5\nx = '\x91\xb0'\n", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Constant(value='\\x91А'))], type_ignores=[])", ""},
		{"euc-jp", "# coding: euc-jp\nx = '\xa4\xa2'\n", "", "encoding problem: euc-jp (kstar decodes UTF-8 and single-byte encodings only)"},
		{"unknown", "# coding: uft-8\nx = 1\n", "", "unknown encoding: uft-8"},
		{"BOM and latin-1", "\xef\xbb\xbf# coding: latin-1\nx = 1\n", "", "encoding problem: latin-1 with BOM"},
		{"invalid UTF-8", "x = '\xe9'\n", "", "(unicode error) 'utf-8' codec can't decode byte 0xe9 in position 5: invalid start byte"},
		{"CRLF and CR", "x = '''a\r\nb'''\ry = 2\r\n", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Constant(value='a\\nb')), Assign(targets=[Name(id='y', ctx=Store())], value=Constant(value=2))], type_ignores=[])", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mod, err := Parse("enc.py", []byte(tc.src))
			if tc.err != "" {
				var e *Error
				if !errors.As(err, &e) || e.Msg != tc.err {
					t.Fatalf("got %v, want %s", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := Dump(mod); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}
