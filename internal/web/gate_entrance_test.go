package web_test

import (
	"bytes"
	"encoding/json"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"image/png"
	"math/rand/v2"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"fugong/internal/auth"
	"fugong/internal/sign"
)

// decodePhoto uploads an image to the decoding endpoint as role; it returns the status
// and the answer.
func (w *world) decodePhoto(t *testing.T, role auth.Role, name string, img []byte) (int, map[string]any) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if img != nil {
		fw, err := mw.CreateFormFile("file", name)
		if err != nil {
			t.Fatal(err)
		}
		fw.Write(img)
	}
	mw.Close()
	h := http.Header{"Authorization": {"Bearer " + w.tokens[role]}, "Content-Type": {mw.FormDataContentType()}}
	got := w.send(t, noRedirects(), "POST", "/api/v1/gate/decode", h, buf.String())
	var out map[string]any
	if err := json.Unmarshal([]byte(got.body), &out); err != nil {
		t.Fatalf("decode answer is not JSON: %s", got)
	}
	return got.status, out
}

// photoOf makes a photo-like JPEG of a QR code PNG: scaled up smoothly, on a larger,
// uneven, noisy background with a margin, as a phone sees a pass held up at the gate.
func photoOf(t *testing.T, qrPNG []byte, width, height int, scale float64) []byte {
	t.Helper()
	qr, err := png.Decode(bytes.NewReader(qrPNG))
	if err != nil {
		t.Fatal(err)
	}
	photo := image.NewRGBA(image.Rect(0, 0, width, height))
	rng := rand.New(rand.NewPCG(1, 2))
	for y := 0; y < height; y++ {
		for x := 0; x < width; x++ {
			// A gradient of light, a warm tint and sensor noise.
			l := 150 + 60*x/width + 30*y/height + rng.IntN(17) - 8
			photo.Set(x, y, color.RGBA{uint8(min(255, l+10)), uint8(min(255, l)), uint8(min(255, l-15)), 255})
		}
	}
	b := qr.Bounds()
	side := int(float64(b.Dx()) * scale)
	ox, oy := width/3, height/4
	for y := 0; y < side; y++ {
		for x := 0; x < side; x++ {
			// Bilinear sampling: edges come out soft, as in a photo.
			fx, fy := float64(x)/scale, float64(y)/scale
			x0, y0 := int(fx), int(fy)
			x1, y1 := min(x0+1, b.Dx()-1), min(y0+1, b.Dy()-1)
			ax, ay := fx-float64(x0), fy-float64(y0)
			lum := func(x, y int) float64 {
				return float64(color.GrayModel.Convert(qr.At(b.Min.X+x, b.Min.Y+y)).(color.Gray).Y)
			}
			v := (lum(x0, y0)*(1-ax)+lum(x1, y0)*ax)*(1-ay) + (lum(x0, y1)*(1-ax)+lum(x1, y1)*ax)*ay
			// Paper is not white and ink is not black under a gate's light.
			v = 35 + v*0.75 + float64(rng.IntN(13)-6)
			photo.Set(ox+x, oy+y, color.RGBA{uint8(v), uint8(v), uint8(v * 0.95), 255})
		}
	}
	var out bytes.Buffer
	if err := jpeg.Encode(&out, photo, &jpeg.Options{Quality: 80}); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// A real pass's QR code, as the PNG the pass page prints and as a photo of it, decodes
// on the server to what the gate then scans; images without a QR code answer 422.
func TestGateDecodeQR(t *testing.T) {
	worlds(t, func(t *testing.T, w *world) {
		w.appApproved(t)
		pass := w.issuedPasses(t, "钱扫码")[0]
		content := sign.VerifyURL(w.ts.URL+"/verify", pass.Token)
		qrPNG, err := sign.QRPNG(content, 300)
		if err != nil {
			t.Fatal(err)
		}
		for _, tt := range []struct {
			name string
			img  []byte
		}{
			{"pass.png", qrPNG},
			{"photo.jpg", photoOf(t, qrPNG, 1280, 960, 1.6)},
			{"big-photo.jpg", photoOf(t, qrPNG, 4000, 3000, 4.5)}, // a phone's full resolution
		} {
			st, out := w.decodePhoto(t, auth.Guard, tt.name, tt.img)
			if st != http.StatusOK || out["token"] != content {
				t.Fatalf("%s: %d %v; want the QR code's text", tt.name, st, out)
			}
		}
		// The decoded text scans like the typed token.
		if res := w.scan(t, content, 36.4); !res.Allow {
			t.Fatalf("scan of the decoded QR code: %+v", res)
		}

		blank := image.NewGray(image.Rect(0, 0, 400, 300))
		draw.Draw(blank, blank.Bounds(), image.White, image.Point{}, draw.Src)
		var blankPNG bytes.Buffer
		png.Encode(&blankPNG, blank)
		for _, tt := range []struct {
			name string
			img  []byte
			want string
		}{
			{"blank.png", blankPNG.Bytes(), "未找到二维码"},
			{"noise.jpg", []byte("\xff\xd8\xff\xe0 this is not really a JPEG"), "无法读取图片"},
			{"notes.txt", []byte("FG1.token typed into a text file"), "无法读取图片"},
			{"", nil, "请选择"},
		} {
			st, out := w.decodePhoto(t, auth.Guard, tt.name, tt.img)
			e, _ := out["error"].(map[string]any)
			if st != http.StatusUnprocessableEntity || e == nil || !strings.Contains(e["message"].(string), tt.want) || e["message_en"] == "" {
				t.Errorf("%s: %d %v; want 422 %q", tt.name, st, out, tt.want)
			}
		}
		if st, _ := w.decodePhoto(t, auth.Staff, "pass.png", qrPNG); st != http.StatusForbidden {
			t.Errorf("staff decodes: %d, want 403", st)
		}
	})
}

// With the policy's single entrance, the enterprise registers its entrance on the gate
// page; scans and registrations at another checkpoint are refused and logged, while
// scans at the entrance (or naming no checkpoint) pass.
func TestGateSingleEntrance(t *testing.T) {
	worlds(t, func(t *testing.T, w *world) {
		w.appApproved(t)
		pass := w.issuedPasses(t, "孙通道")[0]
		guard, admin := w.login(auth.Guard), w.login(auth.Enterprise)

		// Nothing registered: the page says so, scans work anywhere.
		if st, body := guard.get("/gate"); st != http.StatusOK || !strings.Contains(body, `id="gate-entrance-missing"`) || strings.Contains(body, `action="/enterprises/`) {
			t.Fatalf("gate page before registration: %d", st)
		}
		if _, body := admin.get("/gate"); !strings.Contains(body, `action="/enterprises/`+itoa(w.entA)+`/entrance"`) {
			t.Fatal("the enterprise administrator gets no form to register the entrance")
		}
		scanAt := func(checkpoint string) scanAnswer {
			t.Helper()
			var out scanAnswer
			if st := w.api(auth.Guard, "POST", "/api/v1/gate/scan", map[string]any{"token": pass.Token, "checkpoint": checkpoint}, &out); st != http.StatusOK {
				t.Fatalf("scan at %q: %d", checkpoint, st)
			}
			return out
		}
		if res := scanAt("北门"); !res.Allow {
			t.Fatalf("before registration: %+v", res)
		}

		// The administrator registers it on the gate page.
		if st, loc := admin.post("/enterprises/"+itoa(w.entA)+"/entrance", url.Values{"entrance": {strings.Repeat("门", 51)}}); st != http.StatusUnprocessableEntity {
			t.Fatalf("too long a name: %d %s", st, loc)
		}
		if st, loc := admin.post("/enterprises/"+itoa(w.entA)+"/entrance", url.Values{"entrance": {" 东门 "}}); st != http.StatusSeeOther || loc != "/gate" {
			t.Fatalf("register the entrance: %d %s", st, loc)
		}
		if st, body := guard.get("/gate"); st != http.StatusOK || !strings.Contains(body, `id="gate-entrance-name">东门<`) || !strings.Contains(body, `name="checkpoint" id="gate-checkpoint" value="东门"`) {
			t.Fatalf("gate page after registration: %d", st)
		}
		var ent map[string]any
		if st := w.api(auth.Guard, "GET", "/api/v1/enterprises/"+itoa(w.entA)+"/entrance", nil, &ent); st != http.StatusOK || ent["entrance"] != "东门" || ent["single_entrance"] != true {
			t.Fatalf("entrance API: %d %v", st, ent)
		}
		if st := w.api(auth.Town, "POST", "/api/v1/enterprises/"+itoa(w.entB)+"/entrance", map[string]any{"entrance": "南门"}, nil); st != http.StatusNotFound {
			t.Fatalf("town A registers town B's entrance: %d", st)
		}

		// Scans: at the entrance, naming none, elsewhere.
		for cp, allow := range map[string]bool{"东门": true, "": true, "北门": false} {
			res := scanAt(cp)
			if res.Allow != allow {
				t.Fatalf("scan at %q: %+v", cp, res)
			}
			if !allow && (res.Code != "wrong_entrance" || !strings.Contains(res.Reason, "非本企业唯一进出通道") || !strings.Contains(res.Reason, "东门") ||
				!strings.Contains(res.ReasonEN, "single entrance") || res.Color != "red") {
				t.Fatalf("refusal at %q: %+v", cp, res)
			}
		}
		// The gate page's form, at the wrong checkpoint.
		if st, body := guard.post("/gate", url.Values{"token": {pass.Token}, "checkpoint": {"北门"}}); st != http.StatusOK || !strings.Contains(body, "非本企业唯一进出通道") ||
			!strings.Contains(body, `class="gate-panel red"`) {
			t.Fatalf("page scan at the wrong checkpoint: %d", st)
		}
		// A visitor and a vehicle at the wrong checkpoint.
		var vis struct {
			Allow  bool   `json:"allow"`
			Reason string `json:"reason"`
		}
		if st := w.api(auth.Guard, "POST", "/api/v1/gate/entries", map[string]any{"kind": "visitor", "name": "访客丙", "temperature": 36.5, "checkpoint": "北门"}, &vis); st != http.StatusCreated || vis.Allow || vis.Reason != "wrong_entrance" {
			t.Fatalf("visitor at the wrong checkpoint: %d %+v", st, vis)
		}
		if st, loc := guard.post("/gate/entries", url.Values{"kind": {"vehicle"}, "name": {"司机丁"}, "plate": {"浙F54321"}, "temperature": {"36.6"}, "checkpoint": {"北门"}}); st != http.StatusSeeOther || !strings.HasPrefix(loc, "/gate?checkpoint=") {
			t.Fatalf("vehicle at the wrong checkpoint: %d %s", st, loc)
		}
		if st := w.api(auth.Guard, "POST", "/api/v1/gate/entries", map[string]any{"kind": "visitor", "name": "访客戊", "temperature": 36.5, "checkpoint": "东门"}, &vis); st != http.StatusCreated || !vis.Allow {
			t.Fatalf("visitor at the entrance: %d %+v", st, vis)
		}
		// Every one of them is in the log: 7 scans and 3 registrations, 4 refused here.
		var log struct {
			Items []struct {
				Kind   string `json:"kind"`
				Allow  bool   `json:"allow"`
				Reason string `json:"reason"`
			} `json:"items"`
		}
		if st := w.api(auth.Guard, "GET", "/api/v1/gate/entries", nil, &log); st != http.StatusOK {
			t.Fatalf("gate log: %d", st)
		}
		wrong := map[string]int{}
		for _, g := range log.Items {
			if g.Reason == "wrong_entrance" && !g.Allow {
				wrong[g.Kind]++
			}
		}
		if len(log.Items) != 8 || wrong["employee"] != 2 || wrong["visitor"] != 1 || wrong["vehicle"] != 1 {
			t.Fatalf("gate log: %d entries, refused at the wrong entrance %v", len(log.Items), wrong)
		}
		if _, body := guard.get("/gate"); !strings.Contains(body, "✘ 非本企业唯一进出通道") {
			t.Error("the gate log does not name the wrong entrance")
		}

		// The change is audited on the enterprise.
		var trail struct {
			Items []struct {
				Action string `json:"action"`
			} `json:"items"`
		}
		if st := w.api(auth.Admin, "GET", "/api/v1/audit?object_type=enterprise&object_id="+itoa(w.entA)+"&action=enterprise.entrance", nil, &trail); st != http.StatusOK || len(trail.Items) != 1 {
			t.Fatalf("audit of the entrance: %d %+v", st, trail)
		}
		// The policy page shows the setting with its clause.
		if _, body := admin.get("/policy"); !strings.Contains(body, `id="policy-single-entrance"`) || !strings.Contains(body, "只设1个进出通道") {
			t.Error("the policy page does not show the single entrance")
		}
	})
}
