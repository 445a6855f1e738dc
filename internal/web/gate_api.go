package web

import (
	"bytes"
	"encoding/json"
	"image"
	_ "image/gif"
	_ "image/jpeg"
	_ "image/png"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"

	"fugong/internal/apperr"
	"fugong/internal/gate"
	"fugong/internal/health"
)

func (s *Server) apiEnterpriseEntrance(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "企业")
	if err != nil {
		return err
	}
	e, err := s.db.Gate().Entrance(r.Context(), principal(r), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, e)
	return nil
}

func (s *Server) apiEnterpriseEntranceSave(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "企业")
	if err != nil {
		return err
	}
	var in struct {
		Entrance *string `json:"entrance"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if in.Entrance == nil {
		return apperr.NewInvalid("entrance", "请给出通道名称 entrance(\"\" 表示清除)", `Give the entrance's name in entrance ("" clears it)`)
	}
	e, err := s.db.Gate().SetEntrance(r.Context(), principal(r), id, *in.Entrance)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, e)
	return nil
}

// --- QR codes photographed at the gate (扫码) ---

const (
	maxQRImageBytes  = 10 << 20   // a phone photo
	maxQRImagePixels = 30_000_000 // decoded, about 120 MB at most
	qrDecodeSide     = 1200       // photos are shrunk to this for the first attempt
	qrMaxSide        = 2400       // and never decoded larger
)

// qrDecodeSlots bounds the decodes running at once: each holds a decoded photo.
var qrDecodeSlots = make(chan struct{}, 4)

var errNoQR = badImage("图片中未找到二维码,请对准出入证二维码重新拍摄,保持清晰、光线充足",
	"No QR code found in the image; photograph the pass's QR code again, sharp and well lit")

// badImage is a 422 whose message says what is wrong with the photo.
func badImage(zh, en string) error {
	return &apperr.Error{Kind: apperr.Invalid, Message: zh, MessageEN: en, Problems: apperr.Problems{{Field: "file", Message: zh, MessageEN: en}}}
}

// apiGateDecode reads the QR code in an uploaded photo (multipart field "file"), for
// browsers without a live barcode detector: {"token": "…"}, or 422 when none is found.
func (s *Server) apiGateDecode(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxQRImageBytes)
	b, _, err := uploadedFile(r)
	if err != nil {
		if e, ok := apperr.As(err); ok && len(e.Problems) == 1 {
			return badImage(e.Problems[0].Message, e.Problems[0].MessageEN)
		}
		return err
	}
	select {
	case qrDecodeSlots <- struct{}{}:
		defer func() { <-qrDecodeSlots }()
	case <-r.Context().Done():
		return r.Context().Err()
	}
	text, err := decodeQR(b)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]string{"token": text})
	return nil
}

// decodeQR returns the text of the QR code in an image (JPEG, PNG or GIF).
func decodeQR(b []byte) (string, error) {
	cfg, _, err := image.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		return "", badImage("无法读取图片,请上传 JPEG 或 PNG 照片", "The image cannot be read; upload a JPEG or PNG photo")
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width*cfg.Height > maxQRImagePixels || cfg.Width > 20000 || cfg.Height > 20000 {
		return "", badImage("图片尺寸过大,请降低分辨率后重试", "The image is too large; lower the resolution and try again")
	}
	img, _, err := image.Decode(bytes.NewReader(b))
	if err != nil {
		return "", badImage("无法读取图片,请上传 JPEG 或 PNG 照片", "The image cannot be read; upload a JPEG or PNG photo")
	}
	g := grayOf(img)
	side := max(g.Rect.Dx(), g.Rect.Dy())
	tries := []*image.Gray{}
	if side > qrDecodeSide {
		tries = append(tries, shrinkGray(g, qrDecodeSide))
	}
	tries = append(tries, shrinkGray(g, qrMaxSide))
	for _, t := range tries {
		if text, ok := readQR(t); ok {
			return text, nil
		}
	}
	return "", errNoQR
}

// readQR runs the QR reader on a gray image; the reader's panics on odd input count as
// no code found.
func readQR(g *image.Gray) (text string, ok bool) {
	defer func() {
		if recover() != nil {
			text, ok = "", false
		}
	}()
	bmp, err := gozxing.NewBinaryBitmapFromImage(g)
	if err != nil {
		return "", false
	}
	hints := map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_TRY_HARDER: true}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, hints)
	if err != nil {
		return "", false
	}
	text = strings.TrimSpace(res.GetText())
	return text, text != ""
}

// grayOf is the luminance of img, with fast paths for the decoders' usual outputs.
func grayOf(img image.Image) *image.Gray {
	r := img.Bounds()
	g := image.NewGray(image.Rect(0, 0, r.Dx(), r.Dy()))
	switch m := img.(type) {
	case *image.Gray:
		for y := 0; y < r.Dy(); y++ {
			copy(g.Pix[y*g.Stride:y*g.Stride+r.Dx()], m.Pix[m.PixOffset(r.Min.X, r.Min.Y+y):])
		}
	case *image.YCbCr:
		for y := 0; y < r.Dy(); y++ {
			copy(g.Pix[y*g.Stride:y*g.Stride+r.Dx()], m.Y[m.YOffset(r.Min.X, r.Min.Y+y):])
		}
	default:
		for y := 0; y < r.Dy(); y++ {
			for x := 0; x < r.Dx(); x++ {
				cr, cg, cb, ca := img.At(r.Min.X+x, r.Min.Y+y).RGBA()
				// On white, as paper is: transparent pixels are light.
				l := (299*cr + 587*cg + 114*cb) / 1000
				l = (l*ca + 0xffff*(0xffff-ca)) / 0xffff
				g.Pix[y*g.Stride+x] = uint8(l >> 8)
			}
		}
	}
	return g
}

// shrinkGray scales g down by a whole factor (averaging each block) so that its longer
// side is at most side; a small enough g is returned as it is.
func shrinkGray(g *image.Gray, side int) *image.Gray {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	f := (max(w, h) + side - 1) / side
	if f <= 1 {
		return g
	}
	out := image.NewGray(image.Rect(0, 0, w/f, h/f))
	for y := 0; y < h/f; y++ {
		for x := 0; x < w/f; x++ {
			sum := 0
			for dy := 0; dy < f; dy++ {
				row := g.Pix[(y*f+dy)*g.Stride+x*f:]
				for dx := 0; dx < f; dx++ {
					sum += int(row[dx])
				}
			}
			out.Pix[y*out.Stride+x] = uint8(sum / (f * f))
		}
	}
	return out
}

func (s *Server) apiGateScan(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Token       string          `json:"token"`
		Temperature json.RawMessage `json:"temperature"`
		Checkpoint  string          `json:"checkpoint"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if err := gate.CheckToken(in.Token); err != nil {
		return err
	}
	var temp *float64
	if len(in.Temperature) > 0 && string(in.Temperature) != "null" {
		var t float64
		if err := json.Unmarshal(in.Temperature, &t); err != nil {
			return apperr.NewInvalid("temperature", "体温应为数字,例如 36.5", "The temperature must be a number, e.g. 36.5")
		}
		temp = &t
	}
	res, err := s.db.Gate().Scan(r.Context(), principal(r), in.Token, temp, in.Checkpoint)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, res)
	return nil
}

func (s *Server) apiGateRegister(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		gate.Entry
		IDNumber string `json:"id_number"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	e, err := s.db.Gate().Register(r.Context(), principal(r), in.Entry, in.IDNumber)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, e)
	return nil
}

func (s *Server) apiGateEntries(w http.ResponseWriter, r *http.Request) error {
	ent, _ := strconv.ParseInt(r.URL.Query().Get("enterprise"), 10, 64)
	items, err := s.db.Gate().Entries(r.Context(), principal(r), ent)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items})
	return nil
}

// gateSchemas are the OpenAPI schemas of the gate (门岗) routes and of the enterprise's
// single entrance. They follow the JSON tags of store.ScanResult and store.GateEntry and
// the bodies the handlers decode; openapi_workforce_test.go calls the routes and compares.
func gateSchemas() obj {
	// The codes Employees.Scan answers (a holder who has left is refused as revoked);
	// wrong_entrance only under the policy's single entrance.
	scanCodes := []string{"ok", "bad_token", "expired", "not_found", "not_approved", "suspended", "revoked", "other_enterprise", "no_notice",
		"wrong_entrance", "fever"}
	return obj{
		"GateScan": object("A pass shown at the gate", []string{"token"}, obj{
			"token":       str("The pass's token, or the whole verification URL of its QR code"),
			"temperature": obj{"type": []string{"number", "null"}, "minimum": health.MinTemperature, "maximum": health.MaxTemperature, "description": "°C; recorded as a check when given"},
			"checkpoint":  str("Where the pass is scanned: under the policy's single entrance, any other than the registered entrance is refused; the reading is recorded there (门岗 when empty)"),
		}),
		"ScanResult": object("The gate's answer; every scan is logged", []string{"allow", "code", "reason", "reason_en", "color"}, obj{
			"allow":     boolean(""),
			"code":      enum("Why: ok, or the first check that failed", scanCodes...),
			"reason":    str("In Chinese, for the guard"),
			"reason_en": str("In English"),
			"person":    str("The holder's masked name, when the token is readable"),
			"color":     enum("", "green", "red"),
			"pass_id":   id64("When the pass was found"),
		}),
		"GateRegistration": object("A visitor or a vehicle at the gate; a fever, or freight not disinfected, is logged as refused", []string{"kind", "temperature"}, obj{
			"enterprise_id":       id64("The enterprise (filled in for enterprise users)"),
			"kind":                enum("", "visitor", "vehicle"),
			"name":                str("The visitor, or the driver; required for a visitor"),
			"phone":               str(""),
			"id_number":           str("The visitor's resident ID number: checked, stored masked only"),
			"purpose":             str(""),
			"host":                str("Whom the visitor sees"),
			"plate":               str("The vehicle's plate, such as 浙F12345; required for a vehicle"),
			"temperature":         temperature("°C of the visitor or the driver"),
			"freight_disinfected": boolean("Whether the vehicle's freight was disinfected"),
			"checkpoint":          str("Where it is registered: under the policy's single entrance, any other than the registered entrance is refused"),
		}),
		"GateEntry": object("A line of the gate log: a pass scan, a visitor or a vehicle", []string{"id", "enterprise_id", "kind", "allow", "reason", "name", "at"}, obj{
			"id":                  id64(""),
			"enterprise_id":       id64(""),
			"kind":                enum("", "employee", "visitor", "vehicle"),
			"allow":               boolean(""),
			"reason":              enum("A scan's code, or for visitors and vehicles ok, fever, not_disinfected, wrong_entrance or entrance_error", slices.Concat(scanCodes, []string{"not_disinfected", "entrance_error"})...),
			"temperature":         number("°C; absent when none was taken"),
			"name":                str("Masked name for a pass scan"),
			"phone":               str(""),
			"id_masked":           str("The visitor's masked ID number"),
			"purpose":             str(""),
			"host":                str(""),
			"plate":               str(""),
			"freight_disinfected": boolean("Absent when not asked"),
			"checkpoint":          str("Where it was registered: only in the answer to a registration (not kept in the log)"),
			"at":                  stamp(""),
		}),
		"GateEntryList": object("Today's gate log in scope, newest first (at most 200)", []string{"items"}, obj{
			"items": array(ref("GateEntry"), ""),
		}),
		"Entrance": object("The enterprise's registered single entrance", []string{"enterprise_id", "entrance", "single_entrance"}, obj{
			"enterprise_id": id64(""), "entrance": str("Empty until registered"),
			"single_entrance": boolean("The policy asks for a single entrance: scans elsewhere are refused once one is registered"),
		}),
		"EntranceInput": object("The entrance to register; empty clears it", []string{"entrance"}, obj{
			"entrance": obj{"type": "string", "maxLength": gate.MaxEntranceLen},
		}),
	}
}
