package sign

import (
	"errors"
	"fmt"

	qrcode "github.com/skip2/go-qrcode"
)

// QRPNG returns a PNG of a QR code holding content, with medium (M, ~15%) error
// correction and the standard four-module quiet zone, for printing on a document.
// The image is at most size pixels square: size is rounded down to a whole number of
// pixels per module so every module is sharp, but never below one pixel per module.
func QRPNG(content string, size int) ([]byte, error) {
	if content == "" {
		return nil, errors.New("sign: QR content is empty")
	}
	if size <= 0 || size > 8192 {
		return nil, fmt.Errorf("sign: QR size %d out of range 1..8192", size)
	}
	q, err := qrcode.New(content, qrcode.Medium)
	if err != nil {
		return nil, fmt.Errorf("sign: QR: %w", err)
	}
	modules := len(q.Bitmap()) // including the quiet zone
	scale := max(1, size/modules)
	png, err := q.PNG(-scale)
	if err != nil {
		return nil, fmt.Errorf("sign: QR: %w", err)
	}
	return png, nil
}
