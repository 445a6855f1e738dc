package web_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
	"time"

	"fugong/internal/auth"
	"fugong/internal/enterprise"
	"fugong/internal/store"
	"fugong/internal/store/storetest"
)

// peakRSS measures the peak resident memory of the test process while an import runs:
// the collector runs and memory goes back to the system first, then the kernel's
// high-water mark is reset (Linux), and the benchmark reports it at the end as
// peak-RSS-MB. Elsewhere it reports nothing.
type peakRSS struct{ ok bool }

func startPeakRSS() peakRSS {
	runtime.GC()
	debug.FreeOSMemory()
	err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
	return peakRSS{ok: err == nil}
}

func (p peakRSS) report(b *testing.B) {
	if !p.ok {
		return
	}
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return
	}
	for _, line := range strings.Split(string(status), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
			b.ReportMetric(float64(kb)/1024, "peak-RSS-MB")
		}
	}
}

// libreOfficeSheet is the 50,000 enterprises of BenchmarkImport50k as LibreOffice saves
// them: a CSV file converted to .xlsx by soffice, every text cell a shared string and
// numbers (phone, headcount) number cells. It is made once and kept in the temporary
// directory; without soffice the benchmark is skipped.
func libreOfficeSheet(b *testing.B, n int) []byte {
	soffice := ""
	for _, name := range []string{"soffice", "libreoffice"} {
		if p, err := exec.LookPath(name); err == nil {
			soffice = p
			break
		}
	}
	if soffice == "" {
		b.Skip("soffice is not on PATH")
	}
	dir := filepath.Join(os.TempDir(), fmt.Sprintf("fugong-bench-libreoffice-%d", n))
	out := filepath.Join(dir, "enterprises.xlsx")
	if data, err := os.ReadFile(out); err == nil {
		return data
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		b.Fatal(err)
	}
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	header := make([]string, len(enterprise.Columns))
	for i, c := range enterprise.Columns {
		header[i] = c.Header
	}
	cw.Write(header)
	for i := 0; i < n; i++ {
		r := row(fmt.Sprintf("基准企业%05d", i), uscc(b, 100000+i), "规模以下工业", "330402001001")
		rec := make([]string, len(r))
		for j, v := range r {
			rec[j] = fmt.Sprint(v)
		}
		cw.Write(rec)
	}
	cw.Flush()
	in := filepath.Join(dir, "enterprises.csv")
	if err := os.WriteFile(in, buf.Bytes(), 0o600); err != nil {
		b.Fatal(err)
	}
	// Column 2 (the credit code) as text, the others guessed, UTF-8.
	cmd := exec.Command(soffice, "--headless", "--norestore", "-env:UserInstallation=file://"+filepath.Join(dir, "profile"),
		"--infilter=CSV:44,34,76,1,1/1/2/2/3/1/4/2", "--convert-to", "xlsx", "--outdir", dir, in)
	cmd.Env = append(os.Environ(), "HOME="+dir)
	start := time.Now()
	if msg, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("soffice: %v\n%s", err, msg)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		b.Fatalf("soffice wrote no file: %v", err)
	}
	b.Logf("LibreOffice made %s (%d KB) in %v", out, len(data)>>10, time.Since(start).Round(time.Second))
	return data
}

// BenchmarkImport50kLibreOffice is BenchmarkImport50k with a file LibreOffice made, as
// an office's own file is: every text cell a shared string. Run with -benchtime=1x.
func BenchmarkImport50kLibreOffice(b *testing.B) {
	file := libreOfficeSheet(b, 50000)
	for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
		b.Run(string(engine), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				w := newWorld(b, storetest.Open(b, engine))
				mem := startPeakRSS()
				b.StartTimer()
				status, body, _ := upload(b, http.DefaultClient, w.ts.URL+"/api/v1/enterprises/import", w.tokens[auth.Admin], file, nil)
				b.StopTimer()
				mem.report(b)
				if status != http.StatusOK || !strings.Contains(body, `"created":50000`) {
					b.Fatalf("import: %d %.300s", status, body)
				}
				b.StartTimer()
			}
		})
	}
}
