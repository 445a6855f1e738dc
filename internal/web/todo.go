package web

import "errors"

var errTODO = errors.New("not yet written")
