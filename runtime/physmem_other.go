//go:build !linux

package runtime

// physicalMemory is the machine's memory in bytes: 0, unknown, off Linux.
func physicalMemory() int64 { return 0 }
