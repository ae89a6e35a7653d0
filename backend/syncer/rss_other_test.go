//go:build !unix

package syncer

// maxRSSMiB is not measured on this system.
func maxRSSMiB() float64 { return 0 }
