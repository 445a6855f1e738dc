package web

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
)

// staticFiles serves the embedded assets. Pages link them with a content hash in the
// query, so they can be cached for a year and still change with each build.
type staticFiles struct {
	files  map[string][]byte
	hashes map[string]string
}

func loadStatic(fsys fs.FS) (*staticFiles, error) {
	st := &staticFiles{files: map[string][]byte{}, hashes: map[string]string{}}
	err := fs.WalkDir(fsys, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		name := strings.TrimPrefix(p, "static/")
		sum := sha256.Sum256(b)
		st.files[name], st.hashes[name] = b, hex.EncodeToString(sum[:6])
		return nil
	})
	return st, err
}

// url is the cache-busting address of an asset.
func (st *staticFiles) url(name string) string {
	return "/static/" + name + "?v=" + st.hashes[name]
}

func (st *staticFiles) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, ok := st.files[r.URL.Path]
	if !ok {
		http.NotFound(w, r)
		return
	}
	if ct := mime.TypeByExtension(path.Ext(r.URL.Path)); ct != "" {
		w.Header().Set("Content-Type", ct)
	}
	if r.URL.Query().Get("v") == st.hashes[r.URL.Path] {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		w.Header().Set("Cache-Control", "no-cache")
	}
	w.Header().Set("ETag", `"`+st.hashes[r.URL.Path]+`"`)
	if r.Header.Get("If-None-Match") == `"`+st.hashes[r.URL.Path]+`"` {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Write(b)
}
