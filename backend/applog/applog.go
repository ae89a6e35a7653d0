// Package applog keeps the desktop app's log in the data folder: a text file that rotates
// by size, so a support request can include what happened at 06:00 while nobody watched.
// Nothing secret is logged by design (the vendor clients and connection services are
// tested for that); as a second guard, attributes whose names say they hold a secret are
// written as [redacted].
package applog

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"gopkg.in/natefinch/lumberjack.v2"
)

// Folder and file names inside the data folder.
const (
	Dir      = "logs"
	FileName = "cwm-webroot.log"
	// CrashFileName keeps what the Go runtime prints when the app dies of a panic or a fatal
	// error: on Windows and macOS nobody sees standard error of an app started from a menu.
	CrashFileName = "crash.log"
)

// CaptureCrashes makes the runtime also write a fatal crash (an unhandled panic, a fatal
// error) to <dataDir>/logs/crash.log, appended so earlier crashes stay. The file's time
// says when the last one happened.
func CaptureCrashes(dataDir string) error {
	dir := filepath.Join(dataDir, Dir)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("creating the log folder: %w", err)
	}
	f, err := os.OpenFile(filepath.Join(dir, CrashFileName), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return fmt.Errorf("opening the crash log: %w", err)
	}
	defer f.Close() // SetCrashOutput keeps its own copy of the descriptor
	if err := debug.SetCrashOutput(f, debug.CrashOptions{}); err != nil {
		return fmt.Errorf("capturing crashes: %w", err)
	}
	return nil
}

// LastCrash returns the newest part of the crash log (at most maxBytes, whole lines) and
// when it was last written; an empty text when the app never crashed.
func LastCrash(dataDir string, maxBytes int64) (string, time.Time, error) {
	path := filepath.Join(dataDir, Dir, CrashFileName)
	info, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) || (err == nil && info.Size() == 0) {
		return "", time.Time{}, nil
	}
	if err != nil {
		return "", time.Time{}, fmt.Errorf("reading the crash log: %w", err)
	}
	text, err := tail(path, maxBytes)
	return text, info.ModTime(), err
}

// Rotation: a file grows to MaxSizeMB, then the newest MaxBackups old files are kept.
const (
	MaxSizeMB  = 5
	MaxBackups = 3
)

// Log is the open log file.
type Log struct {
	Logger *slog.Logger
	path   string
	file   *lumberjack.Logger
}

// Open starts logging to <dataDir>/logs/cwm-webroot.log at level, and also to also (the
// terminal's stderr, say) when it is not nil.
func Open(dataDir string, level slog.Level, also io.Writer) (*Log, error) {
	dir := filepath.Join(dataDir, Dir)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("creating the log folder: %w", err)
	}
	path := filepath.Join(dir, FileName)
	file := &lumberjack.Logger{Filename: path, MaxSize: MaxSizeMB, MaxBackups: MaxBackups}
	// Fail now, with the path, rather than silently on the first line.
	if _, err := file.Write(nil); err != nil {
		return nil, fmt.Errorf("opening the log file %s: %w", path, err)
	}
	var w io.Writer = file
	if also != nil {
		w = io.MultiWriter(file, also)
	}
	h := slog.NewTextHandler(w, &slog.HandlerOptions{Level: level, ReplaceAttr: redact})
	return &Log{Logger: slog.New(h), path: path, file: file}, nil
}

// Path is the current log file.
func (l *Log) Path() string { return l.path }

// Close closes the file.
func (l *Log) Close() error { return l.file.Close() }

// secretWords mark attribute names whose values are never written.
var secretWords = []string{"password", "secret", "token", "authorization", "privatekey", "private_key", "apikey", "api_key"}

// redact is the handler's ReplaceAttr: a secret-named attribute keeps its name, not its value.
func redact(_ []string, a slog.Attr) slog.Attr {
	name := strings.ToLower(a.Key)
	for _, w := range secretWords {
		if strings.Contains(name, w) {
			return slog.String(a.Key, "[redacted]")
		}
	}
	return a
}

// Recent returns the last maxBytes of the log, oldest first, across the rotated files
// (whole lines only), for a diagnostics report. No log yet gives "".
func Recent(dataDir string, maxBytes int64) (string, error) {
	dir := filepath.Join(dataDir, Dir)
	files, err := logFiles(dir)
	if err != nil {
		return "", err
	}
	var parts []string
	left := maxBytes
	// Newest first until the budget is spent, then put back in time order.
	for i := len(files) - 1; i >= 0 && left > 0; i-- {
		text, err := tail(filepath.Join(dir, files[i]), left)
		if err != nil {
			return "", err
		}
		left -= int64(len(text))
		parts = append([]string{text}, parts...)
	}
	return strings.Join(parts, ""), nil
}

// logFiles lists the log's files oldest first: lumberjack names backups
// cwm-webroot-<timestamp>.log, which sort by time, and the current file comes last.
func logFiles(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading the log folder: %w", err)
	}
	base := strings.TrimSuffix(FileName, ".log")
	var backups []string
	current := false
	for _, e := range entries {
		switch name := e.Name(); {
		case name == FileName:
			current = true
		case strings.HasPrefix(name, base+"-") && strings.HasSuffix(name, ".log"):
			backups = append(backups, name)
		}
	}
	// ReadDir returns names sorted, so backups are in time order already.
	if current {
		backups = append(backups, FileName)
	}
	return backups, nil
}

// tail reads up to the last n bytes of a file, starting at a line boundary.
func tail(path string, n int64) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("reading the log: %w", err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return "", err
	}
	start := info.Size() - n
	if start < 0 {
		start = 0
	}
	if _, err := f.Seek(start, io.SeekStart); err != nil {
		return "", err
	}
	r := bufio.NewReader(f)
	if start > 0 {
		if _, err := r.ReadString('\n'); err != nil { // a partial first line
			return "", nil
		}
	}
	b, err := io.ReadAll(r)
	if err != nil {
		return "", err
	}
	return string(b), nil
}
