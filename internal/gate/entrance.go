package gate

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"fugong/internal/apperr"
)

// The single entrance (丁方案: 「企业只设1个进出通道,在通道设置检测卡口,配备门禁设施和检测仪器,
// 落实24小时人员值守」). When the policy asks for it ([gate] single_entrance), an enterprise
// registers the name of its one entrance; from then on a pass scan or a visitor or vehicle
// registration at any other checkpoint is refused (wrong_entrance) and logged like every
// scan. A scan or registration that names no checkpoint is taken to be at the entrance.

// MaxEntranceLen is the longest entrance name, in characters.
const MaxEntranceLen = 50

// Entrance is an enterprise's registered entrance.
type Entrance struct {
	EnterpriseID int64  `json:"enterprise_id"`
	Name         string `json:"entrance"` // "" until registered
	// SingleEntrance: the policy asks for a single entrance; scans elsewhere are refused
	// once Name is registered.
	SingleEntrance bool `json:"single_entrance"`
}

// CheckEntranceName validates and normalises the name of an entrance ("" clears it).
func CheckEntranceName(name string) (string, error) {
	name = strings.Join(strings.Fields(name), " ")
	switch {
	case utf8.RuneCountInString(name) > MaxEntranceLen:
		return "", apperr.NewInvalid("entrance", "通道名称最多50个字", "The entrance name is at most 50 characters")
	case strings.ContainsFunc(name, unicode.IsControl):
		return "", apperr.NewInvalid("entrance", "通道名称含有无效字符", "The entrance name holds invalid characters")
	}
	return name, nil
}

// AtEntrance reports whether checkpoint is the registered entrance: always when no
// entrance is registered or no checkpoint is named; names compare ignoring case and spaces.
func AtEntrance(entrance, checkpoint string) bool {
	e, c := strings.Join(strings.Fields(entrance), ""), strings.Join(strings.Fields(checkpoint), "")
	return e == "" || c == "" || strings.EqualFold(e, c)
}
