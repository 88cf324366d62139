//go:build race

package json

// raceDetector reports whether the test binary runs under the race
// detector, whose instrumentation allocates.
const raceDetector = true
