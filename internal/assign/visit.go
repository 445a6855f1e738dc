package assign

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"fugong/internal/apperr"
	"fugong/internal/list"
	"fugong/internal/roster"
)

// VisitKind is how an official went about a visit (甲方案: 「采取现场办公、抽查检查、明察暗访等
// 方式开展工作」; 丁方案 adds remote checks by video and phone).
type VisitKind string

const (
	OnSite      VisitKind = "onsite"      // 现场办公
	SpotCheck   VisitKind = "spot"        // 抽查检查
	Unannounced VisitKind = "unannounced" // 明察暗访
	Phone       VisitKind = "phone"       // 电话
	Video       VisitKind = "video"       // 视频
)

// VisitKinds lists the kinds in display order.
var VisitKinds = []VisitKind{OnSite, SpotCheck, Unannounced, Phone, Video}

// VisitKindNames are the kinds' Chinese and English names.
var VisitKindNames = map[VisitKind][2]string{
	OnSite:      {"现场办公", "On-site work"},
	SpotCheck:   {"抽查检查", "Spot check"},
	Unannounced: {"明察暗访", "Unannounced visit"},
	Phone:       {"电话", "Phone call"},
	Video:       {"视频", "Video call"},
}

// MaxVisitPhotos bounds the photos of one visit.
const MaxVisitPhotos = 6

// Visit is one entry of the visit log (走访记录).
type Visit struct {
	ID             int64     `json:"id"`
	EnterpriseID   int64     `json:"enterprise_id"`
	EnterpriseName string    `json:"enterprise_name,omitempty"`
	UserID         int64     `json:"user_id,omitempty"`
	Visitor        string    `json:"visitor"`
	Day            string    `json:"day"` // YYYY-MM-DD
	Kind           VisitKind `json:"kind"`
	Found          string    `json:"found"`    // what was found
	Problems       string    `json:"problems"` // problems raised with the enterprise
	Photos         []string  `json:"photos"`   // SHA-256 of the stored photos
	CreatedAt      time.Time `json:"created_at"`
}

// VisitFilter selects visits.
type VisitFilter struct {
	Enterprise int64
	UserID     int64 // one official's visits
	Kind       string
	Page       list.Page
}

// Validate normalises the visit and lists every field problem; today fills an empty day
// and bounds it (a visit is logged once it took place).
func (v *Visit) Validate(today string, loc *time.Location) apperr.Problems {
	v.Found, v.Problems, v.Day = strings.TrimSpace(v.Found), strings.TrimSpace(v.Problems), strings.TrimSpace(v.Day)
	var ps apperr.Problems
	if v.EnterpriseID <= 0 {
		ps.Add("enterprise_id", "请选择走访的企业", "Choose the enterprise visited")
	}
	if v.Day == "" {
		v.Day = today
	} else if t, ok := roster.ParseDate(v.Day, loc); ok && !t.IsZero() {
		v.Day = t.Format(DateLayout)
	}
	switch {
	case !validDay(v.Day):
		ps.Add("day", "走访日期无法识别,请写成 2020-02-10", "The date cannot be read; write it as 2020-02-10")
	case v.Day > today:
		ps.Add("day", "走访日期不能晚于今天", "The date of a visit cannot be after today")
	}
	if !slices.Contains(VisitKinds, v.Kind) {
		ps.Add("kind", "请选择走访方式:现场办公、抽查检查、明察暗访、电话或视频", "Choose how: on-site, spot check, unannounced, phone or video")
	}
	if v.Found == "" {
		ps.Add("found", "请填写走访发现的情况", "Enter what was found")
	} else if utf8.RuneCountInString(v.Found) > 2000 {
		ps.Add("found", "走访情况最多 2000 个字", "What was found can have at most 2000 characters")
	}
	if utf8.RuneCountInString(v.Problems) > 2000 {
		ps.Add("problems", "提出的问题最多 2000 个字", "The problems raised can have at most 2000 characters")
	}
	if len(v.Photos) > MaxVisitPhotos {
		ps.Add("photos", "照片最多 6 张", "At most 6 photos")
	}
	if v.Photos == nil {
		v.Photos = []string{}
	}
	return ps
}

// AddPhotos adds photos (SHA-256 of stored files) to a logged visit, by the official who
// logged it, keeping MaxVisitPhotos; a photo already there is not added twice.
func (v Visit) AddPhotos(byUser int64, shas []string) (Visit, error) {
	if byUser == 0 || v.UserID != byUser {
		return v, apperr.NewConflict("只有记录该走访的人员可以补充照片", "Only the official who logged the visit can add photos to it")
	}
	if len(shas) == 0 {
		return v, apperr.NewInvalid("photo", "请选择要上传的照片", "Choose the photos to upload")
	}
	photos := slices.Clone(v.Photos)
	for _, s := range shas {
		if !slices.Contains(photos, s) {
			photos = append(photos, s)
		}
	}
	if len(photos) > MaxVisitPhotos {
		return v, apperr.NewInvalid("photo", fmt.Sprintf("照片最多 %d 张,该走访记录已有 %d 张", MaxVisitPhotos, len(v.Photos)),
			fmt.Sprintf("At most %d photos; the visit has %d already", MaxVisitPhotos, len(v.Photos)))
	}
	v.Photos = photos
	return v, nil
}

// Mine is one enterprise on an official's "my enterprises" page, with what they should
// know about it today, its rectification orders and hazards not closed among it.
type Mine struct {
	EnterpriseID       int64    `json:"enterprise_id"`
	EnterpriseName     string   `json:"enterprise_name"`
	RegionName         string   `json:"region_name,omitempty"`
	Status             string   `json:"status"`
	Duties             []string `json:"duties"`        // the official's duties for it
	NoticeSerial       string   `json:"notice_serial"` // the notice in force, "" when none
	NoticeID           int64    `json:"notice_id,omitempty"`
	OpenRectifications int      `json:"open_rectifications"` // rectification orders not closed
	Hazards            int      `json:"hazards"`             // hazards not closed
	FeversToday        int      `json:"fevers_today"`
	PassesSuspended    int      `json:"passes_suspended"`
	ReportConfirmed    bool     `json:"report_confirmed"` // today's daily report is confirmed
	LastVisit          string   `json:"last_visit"`       // day of the last visit, "" when none
}

// Attention reports whether the enterprise needs the official's attention today: a fever,
// a suspended pass or an unconfirmed daily report of a resumed enterprise.
func (m Mine) Attention() bool {
	return m.FeversToday > 0 || m.PassesSuspended > 0 || (m.Status == "resumed" && !m.ReportConfirmed)
}
