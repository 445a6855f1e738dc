package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"fugong/internal/apperr"
	"fugong/internal/auth"
	"fugong/internal/enterprise"
	"fugong/internal/inspection"
	"fugong/internal/list"
	"fugong/internal/policy"
	"fugong/internal/rectify"
	"fugong/internal/xlsx"
)

// Supervision inspections (督导检查): the unit's list with the plan of who is due, the
// planning form, and the phone checklist with photos.

type kindOption struct{ Code, Name string }

type inspectionRow struct {
	inspection.Inspection
	KindName string
	UnitName string
}

type inspectionsData struct {
	Items       []inspectionRow
	Pager       pager
	Filter      inspection.Filter
	Kinds       []kindOption
	CanInspect  bool
	Enterprises *entPicker
	Units       []kindOption
	Due         []inspection.PlanRow // the most overdue first, at most dueShown
	DueTotal    int
	Form        planInput
	Today       string
}

func (s *Server) kindOptions(lang string) []kindOption {
	var out []kindOption
	for _, k := range policy.InspectionKinds {
		zh, en := inspection.KindName(k)
		if lang == "en" {
			zh = en
		}
		out = append(out, kindOption{k, zh})
	}
	return out
}

// dueShown is how many enterprises overdue for an inspection the page lists; the rest
// are in GET /api/v1/inspections/due.
const dueShown = 50

func (s *Server) inspectionsPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderInspections(w, r, http.StatusOK, planInput{}, nil)
}

func (s *Server) renderInspections(w http.ResponseWriter, r *http.Request, status int, form planInput, ferr error) error {
	ctx, p, lang := r.Context(), principal(r), langOf(r)
	f, err := inspectionFilter(r)
	if err != nil {
		return err
	}
	items, total, err := s.db.Inspections().List(ctx, p, f)
	if err != nil {
		return err
	}
	d := inspectionsData{Pager: newPager(r, f.Page, total), Filter: f, Kinds: s.kindOptions(lang), Form: form,
		CanInspect: p.Can(auth.SupervisionInspect), Today: s.db.Today()}
	for _, in := range items {
		zh, en := inspection.KindName(in.Kind)
		if lang == "en" {
			zh = en
		}
		d.Items = append(d.Items, inspectionRow{Inspection: in, KindName: zh, UnitName: s.unitName(lang, in.Unit)})
	}
	if d.CanInspect {
		if d.Enterprises, err = s.enterprisePicker(r, "enterprise_id", "eq", "entpick", form.EnterpriseID); err != nil {
			return err
		}
		if d.Due, err = s.db.Inspections().Due(ctx, p, true); err != nil {
			return err
		}
		d.DueTotal = len(d.Due)
		d.Due = d.Due[:min(len(d.Due), dueShown)]
		for _, u := range s.pol.Units {
			d.Units = append(d.Units, kindOption{u.Code, s.unitName(lang, u.Code)})
		}
		if d.Form.PlannedOn == "" {
			d.Form.PlannedOn = d.Today
		}
		if d.Form.EnterpriseID == 0 { // started from an enterprise (a visit, the enterprise's page)
			d.Form.EnterpriseID = f.EnterpriseID
		}
	}
	return s.render(w, r, status, "inspections", "Supervision inspections", d, ferr)
}

func (s *Server) inspectionCreate(w http.ResponseWriter, r *http.Request) error {
	ent, _ := strconv.ParseInt(r.FormValue("enterprise_id"), 10, 64)
	in := planInput{EnterpriseID: ent, Unit: r.FormValue("unit"), Kind: r.FormValue("kind"), PlannedOn: strings.TrimSpace(r.FormValue("planned_on")),
		Inspectors: r.FormValue("inspectors")}
	got, err := s.planInspection(r, in)
	if k := apperr.KindOf(err); k == apperr.Invalid || k == apperr.NotFound || k == apperr.Forbidden {
		return s.renderInspections(w, r, statusOf[k], in, err)
	}
	if err != nil {
		return err
	}
	flash(w, translate(langOf(r), "Inspection planned"))
	http.Redirect(w, r, fmt.Sprintf("/supervision/%d", got.ID), http.StatusSeeOther)
	return nil
}

// checkRow is one item of the phone checklist.
type checkRow struct {
	checklistItem
	N        int
	Result   string
	Note     string
	Severity string
	PhotoIDs []int64
}

type inspectionData struct {
	In         inspection.Inspection
	KindName   string
	UnitName   string
	E          enterprise.Enterprise
	Rows       []checkRow
	CanRecord  bool
	Opinion    string
	Signature  string
	Severities []kindOption
	Orders     []rectify.Order
	Suspended  string // the reason the enterprise's notice is suspended, if it is
}

func (s *Server) inspectionPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderInspection(w, r, http.StatusOK, nil, nil)
}

func (s *Server) renderInspection(w http.ResponseWriter, r *http.Request, status int, in *inspection.Completion, ferr error) error {
	ctx, p, lang := r.Context(), principal(r), langOf(r)
	det, c, err := s.inspectionDetail(r)
	if err != nil {
		return err
	}
	zh, en := inspection.KindName(det.Kind)
	if lang == "en" {
		zh = en
	}
	d := inspectionData{In: det.Inspection, KindName: zh, UnitName: s.unitName(lang, det.Unit), E: c.Enterprise}
	for _, sv := range inspection.Severities {
		szh, sen := inspection.SeverityName(sv)
		if lang == "en" {
			szh = sen
		}
		d.Severities = append(d.Severities, kindOption{sv, szh})
	}
	d.CanRecord = det.Status == inspection.Planned && p.Can(auth.SupervisionInspect)
	got := map[string]inspection.ItemResult{}
	items := det.Items
	if in != nil {
		items, d.Opinion, d.Signature = in.Items, in.Opinion, in.Signature
	} else {
		d.Opinion, d.Signature = det.Opinion, det.Signature
	}
	for _, it := range items {
		got[it.Code] = it
	}
	photos, err := s.db.Inspections().Photos(ctx, "inspection", det.ID)
	if err != nil {
		return err
	}
	for i, ci := range det.Checklist {
		g := got[ci.Code]
		d.Rows = append(d.Rows, checkRow{checklistItem: ci, N: i + 1, Result: g.Result, Note: g.Note, Severity: g.Severity, PhotoIDs: photos[ci.Code]})
	}
	if det.Status == inspection.Done {
		all, _, err := s.db.Rectifications().List(ctx, p, rectify.Filter{EnterpriseID: det.EnterpriseID, Page: list.Page{Size: list.MaxSize}})
		if err != nil {
			return err
		}
		for _, o := range all {
			if o.InspectionID == det.ID {
				d.Orders = append(d.Orders, o)
			}
		}
	}
	if d.Suspended, err = s.db.Rectifications().SuspendedNotice(ctx, p, det.EnterpriseID); err != nil {
		return err
	}
	return s.render(w, r, status, "inspection", "Supervision inspection", d, ferr)
}

// inspectionComplete keeps the photos, then records the checklist in one step. Problems
// re-render the phone form with each item's message next to it.
func (s *Server) inspectionComplete(w http.ResponseWriter, r *http.Request) error {
	if err := parseUploadForm(r); err != nil {
		return err
	}
	if r.MultipartForm != nil {
		defer r.MultipartForm.RemoveAll()
	}
	ctx, p := r.Context(), principal(r)
	det, _, err := s.inspectionDetail(r)
	if err != nil {
		return err
	}
	in := inspection.Completion{Opinion: r.FormValue("opinion"), Signature: r.FormValue("signature")}
	in.Version, _ = strconv.Atoi(r.FormValue("version"))
	for _, ci := range det.Checklist {
		res := inspection.ItemResult{Code: ci.Code, Result: r.FormValue("result_" + ci.Code), Note: strings.TrimSpace(r.FormValue("note_" + ci.Code)),
			Severity: r.FormValue("severity_" + ci.Code)}
		if res.Result != "" || res.Note != "" {
			in.Items = append(in.Items, res)
		}
	}
	var ps apperr.Problems
	if r.MultipartForm != nil {
		for _, ci := range det.Checklist {
			for _, fh := range r.MultipartForm.File["photo_"+ci.Code] {
				ph, err := s.keepPhoto(ci.Code, fh)
				if err == nil {
					err = s.db.Inspections().AddPhoto(ctx, p, det.ID, ph)
				}
				if e, ok := apperr.As(err); ok && e.Kind == apperr.Invalid {
					ps.Add("items."+ci.Code, "照片 "+fh.Filename+":"+e.Message, "Photo "+fh.Filename+": "+e.MessageEN)
					continue
				}
				if err != nil {
					return err
				}
			}
		}
	}
	if err := ps.Err(); err != nil {
		return s.renderInspection(w, r, http.StatusUnprocessableEntity, &in, err)
	}
	done, orders, err := s.db.Inspections().Complete(ctx, p, det.ID, in)
	if apperr.KindOf(err) == apperr.Invalid {
		return s.renderInspection(w, r, http.StatusUnprocessableEntity, &in, err)
	}
	if err != nil {
		return err
	}
	msg := translate(langOf(r), "Inspection recorded: passed")
	if done.Result == inspection.Fail {
		msg = fmt.Sprintf(translate(langOf(r), "Inspection recorded: %d rectification orders issued"), len(orders))
	}
	flash(w, msg)
	http.Redirect(w, r, fmt.Sprintf("/supervision/%d", det.ID), http.StatusSeeOther)
	return nil
}

var inspectionColumns = []xlsx.Column{
	{Key: "enterprise", Header: "企业名称", Width: 30}, {Key: "unit", Header: "检查单位", Width: 20}, {Key: "kind", Header: "检查类型", Width: 14},
	{Key: "planned", Header: "计划日期", Width: 12}, {Key: "inspectors", Header: "检查人员", Width: 16}, {Key: "status", Header: "状态", Width: 10},
	{Key: "result", Header: "结果", Width: 10}, {Key: "completed", Header: "记录时间", Width: 18}, {Key: "opinion", Header: "检查意见", Width: 30},
}

// inspectionsExport writes the inspections the filters select (what the list shows) as .xlsx.
func (s *Server) inspectionsExport(w http.ResponseWriter, r *http.Request) error {
	p := principal(r)
	f, err := inspectionFilter(r)
	if err != nil {
		return err
	}
	return exportPages(w, "inspections.xlsx", "督导检查.xlsx", "督导检查", inspectionColumns, func(pg list.Page) ([]inspection.Inspection, error) {
		f.Page = pg
		items, _, err := s.db.Inspections().List(r.Context(), p, f)
		return items, err
	}, func(in inspection.Inspection) []any {
		kind, _ := inspection.KindName(in.Kind)
		status, result, done := "计划", "", ""
		if in.Status == inspection.Done {
			status, result = "已检查", map[string]string{inspection.Pass: "合格", inspection.Fail: "不合格"}[in.Result]
			done = in.CompletedAt.In(s.pol.Location()).Format(time.DateTime)
		}
		return []any{in.EnterpriseName, s.unitName("zh", in.Unit), kind, in.PlannedOn, in.Inspectors, status, result, done, in.Opinion}
	})
}
