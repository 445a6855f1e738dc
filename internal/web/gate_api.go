package web

import (
	"bytes"
	"image"
	_ "image/gif" // photos and screenshots come as JPEG, PNG or GIF
	_ "image/jpeg"
	_ "image/png"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"

	"fugong/internal/apperr"
	"fugong/internal/auth"
	"fugong/internal/store"
)

// --- the single entrance (唯一进出通道) ---

// gateEntrance is what the gate page shows about the enterprise's entrance.
type gateEntrance struct {
	Known      bool // the page is about one enterprise (the user's own)
	Entrance   store.Entrance
	CanEdit    bool   // the user may register the entrance
	Checkpoint string // where scans and registrations are made: the form's value, else the entrance
}

// gateEntranceOf reads the entrance of the user's own enterprise for the gate page; users
// not scoped to an enterprise see none.
func (s *Server) gateEntranceOf(r *http.Request) (gateEntrance, error) {
	p := principal(r)
	g := gateEntrance{Checkpoint: strings.TrimSpace(r.FormValue("checkpoint"))}
	if p.Scope.Kind != auth.ScopeEnterprise {
		return g, nil
	}
	e, err := s.roster.Entrance(r.Context(), p, 0)
	if err != nil {
		return g, err
	}
	g.Known, g.Entrance, g.CanEdit = true, e, p.Can(auth.EnterprisesEdit)
	if g.Checkpoint == "" {
		g.Checkpoint = e.Name
	}
	return g, nil
}

// gateEntranceSave registers the entrance of an enterprise (the gate page's form).
func (s *Server) gateEntranceSave(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "企业")
	if err != nil {
		return err
	}
	p := principal(r)
	onGate := p.Can(auth.GateScan) && p.Scope.Kind == auth.ScopeEnterprise && p.Scope.ID == id
	if _, err := s.roster.SetEntrance(r.Context(), p, id, r.FormValue("entrance")); err != nil {
		if apperr.KindOf(err) == apperr.Invalid && onGate {
			return s.renderGate(w, r, http.StatusUnprocessableEntity, nil, err)
		}
		return err
	}
	flash(w, translate(langOf(r), "Entrance saved"))
	if onGate {
		http.Redirect(w, r, "/gate", http.StatusSeeOther)
	} else {
		http.Redirect(w, r, "/enterprises/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	}
	return nil
}

func (s *Server) apiEnterpriseEntrance(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "企业")
	if err != nil {
		return err
	}
	e, err := s.roster.Entrance(r.Context(), principal(r), id)
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
		Entrance string `json:"entrance"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	e, err := s.roster.SetEntrance(r.Context(), principal(r), id, in.Entrance)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, e)
	return nil
}

// registerFlash says that a visitor or vehicle was registered, and refused when it was.
func registerFlash(lang string, e store.GateEntry) string {
	msg := translate(lang, "Entry registered")
	if e.Allow {
		return msg
	}
	reason := map[string][2]string{
		"fever":           {"体温异常", "fever"},
		"not_disinfected": {"货物未消毒", "the freight is not disinfected"},
		"wrong_entrance":  {"非本企业唯一进出通道", "not the enterprise's single entrance"},
		"entrance_error":  {"暂时无法核对进出通道", "the entrance cannot be checked now"},
	}[e.Reason]
	if reason[0] == "" {
		reason = [2]string{e.Reason, e.Reason}
	}
	if lang == "en" {
		return msg + "; entry refused: " + reason[1]
	}
	return msg + ",禁止入内:" + reason[0]
}

// gateURL is the gate page, keeping the checkpoint the guard works at.
func gateURL(checkpoint string) string {
	if c := strings.TrimSpace(checkpoint); c != "" {
		return "/gate?checkpoint=" + url.QueryEscape(c)
	}
	return "/gate"
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
