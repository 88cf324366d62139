// Package examples holds the complete Go programs that README.md and
// docs/embedding.md show, one per directory. go test runs each (an
// Example compares its output), and TestDocsShowCompiledCode checks that
// the docs show them, and the Example functions of runtime/ and
// pipeline/, exactly as they are.
package examples
