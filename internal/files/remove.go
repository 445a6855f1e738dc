package files

import (
	"errors"
	"os"
	"strings"
)

// Remove deletes a stored file; a file already gone is no error. Files are shared by
// content: remove one only when no record refers to it any more (the retention purge).
func (s *Store) Remove(sum string) error {
	if len(sum) != 64 || strings.Trim(sum, "0123456789abcdef") != "" {
		return errors.New("files: not a stored file's name")
	}
	err := os.Remove(s.path(sum))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	return err
}
