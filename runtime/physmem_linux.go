package runtime

import (
	"sync"
	"syscall"
)

// physicalMemory is the machine's memory in bytes (0 if unknown).
var physicalMemory = sync.OnceValue(func() int64 {
	var info syscall.Sysinfo_t
	if syscall.Sysinfo(&info) != nil {
		return 0
	}
	return int64(info.Totalram) * int64(info.Unit)
})
