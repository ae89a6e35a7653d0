package main

import (
	"log/slog"
	"os"

	"cwm-webroot/backend/applog"
	"cwm-webroot/backend/buildinfo"
)

// startLog sends the app's log to a rotating file in the data folder (and the terminal),
// and a fatal crash to logs/crash.log, so what happened while nobody watched can be read,
// and sent with a diagnostics report.
// Without it the app still runs, logging to the terminal only.
func (a *App) startLog() {
	if err := applog.CaptureCrashes(a.inst.DataDir); err != nil {
		slog.Warn("crashes will not be written to the data folder", "err", err)
	}
	l, err := applog.Open(a.inst.DataDir, slog.LevelInfo, os.Stderr)
	if err != nil {
		slog.Warn("the log file could not be opened; logging to the terminal only", "err", err)
		return
	}
	a.log = l
	slog.SetDefault(l.Logger)
	slog.Info("started", "version", buildinfo.String(), "data_dir", a.inst.DataDir, "autostart", a.inv.Autostart)
}

func (a *App) stopLog() {
	if a.log != nil {
		slog.Info("stopped")
		_ = a.log.Close()
	}
}
