package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"fugong/internal/apperr"
	"fugong/internal/input"
	"fugong/internal/ledger"
	"fugong/internal/xlsx"
)

// registerFilter reads a register's filter: date, checkpoint, enterprise, kind, fever.
func registerFilter(r *http.Request) (ledger.RegisterFilter, error) {
	q := r.URL.Query()
	f := ledger.RegisterFilter{Day: strings.TrimSpace(q.Get("date")), Checkpoint: strings.TrimSpace(q.Get("checkpoint")),
		Kind: strings.TrimSpace(q.Get("kind")), Page: pageOf(r)}
	if f.Day == "" {
		f.Day = strings.TrimSpace(q.Get("day"))
	}
	if v := strings.TrimSpace(q.Get("enterprise")); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			return f, apperr.NewInvalid("enterprise", "企业编号应为正整数", "The enterprise is a positive number")
		}
		f.EnterpriseID = id
	}
	fever, err := input.Flag("fever", q.Get("fever"))
	if err != nil {
		return f, err
	}
	f.Fever = fever
	return f, nil
}

func registerQuery(f ledger.RegisterFilter) string {
	v := url.Values{}
	v.Set("date", f.Day)
	if f.Checkpoint != "" {
		v.Set("checkpoint", f.Checkpoint)
	}
	if f.EnterpriseID != 0 {
		v.Set("enterprise", strconv.FormatInt(f.EnterpriseID, 10))
	}
	if f.Kind != "" {
		v.Set("kind", f.Kind)
	}
	if f.Fever {
		v.Set("fever", "1")
	}
	return v.Encode()
}

type registerData struct {
	Gate        bool // the gate register; else the temperature register
	Filter      ledger.RegisterFilter
	Today       string
	GateRows    []ledger.GateRow
	TempRows    []ledger.TemperatureRow
	Checkpoints []string
	Total       int
	Pager       pager
	Export      string
}

func (s *Server) gateRegisterPage(w http.ResponseWriter, r *http.Request) error {
	return s.registerPage(w, r, true)
}

func (s *Server) temperatureRegisterPage(w http.ResponseWriter, r *http.Request) error {
	return s.registerPage(w, r, false)
}

func (s *Server) registerPage(w http.ResponseWriter, r *http.Request, gateReg bool) error {
	p := principal(r)
	f, ferr := registerFilter(r)
	status := http.StatusOK
	d := registerData{Gate: gateReg, Today: s.db.Today()}
	load := func() error {
		var err error
		if gateReg {
			d.GateRows, d.Total, d.Checkpoints, err = s.db.GateRegister(r.Context(), p, f)
		} else {
			d.TempRows, d.Total, d.Checkpoints, err = s.db.TemperatureRegister(r.Context(), p, f)
		}
		return err
	}
	err := ferr
	if err == nil {
		err = load()
	}
	if err != nil {
		if apperr.KindOf(err) != apperr.Invalid {
			return err
		}
		ferr, status = err, http.StatusUnprocessableEntity
		f = ledger.RegisterFilter{Page: f.Page}
		if err := load(); err != nil {
			return err
		}
	}
	if f.Day == "" {
		f.Day = d.Today
	}
	d.Filter, d.Pager = f, newPager(r, f.Page, d.Total)
	title := "Temperature register"
	d.Export = "/registers/temperature/export?" + registerQuery(f)
	if gateReg {
		title = "Gate register"
		d.Export = "/registers/gate/export?" + registerQuery(f)
	}
	return s.render(w, r, status, "register", title, d, ferr)
}

var gateRegisterColumns = []xlsx.Column{{Key: "at", Header: "时间", Width: 18}, {Key: "ent", Header: "企业", Width: 24}, {Key: "checkpoint", Header: "卡口", Width: 12},
	{Key: "kind", Header: "类别", Width: 8}, {Key: "name", Header: "姓名", Width: 10}, {Key: "id", Header: "身份证号", Width: 20}, {Key: "phone", Header: "联系电话", Width: 14},
	{Key: "plate", Header: "车牌号", Width: 10}, {Key: "purpose", Header: "事由", Width: 14}, {Key: "host", Header: "接待人", Width: 10},
	{Key: "temp", Header: "体温(℃)", Width: 8}, {Key: "disinfected", Header: "货车已消毒", Width: 10}, {Key: "result", Header: "结果", Width: 8}, {Key: "reason", Header: "原因", Width: 14}}

var temperatureRegisterColumns = []xlsx.Column{{Key: "at", Header: "时间", Width: 18}, {Key: "ent", Header: "企业", Width: 24}, {Key: "checkpoint", Header: "检测点", Width: 14},
	{Key: "name", Header: "姓名", Width: 10}, {Key: "dept", Header: "部门", Width: 12}, {Key: "temp", Header: "体温(℃)", Width: 8}, {Key: "symptoms", Header: "症状", Width: 14},
	{Key: "source", Header: "来源", Width: 10}, {Key: "fever", Header: "异常", Width: 6}}

var kindZH = map[string]string{"employee": "员工", "visitor": "访客", "vehicle": "车辆"}
var sourceZH = map[string]string{"checkpoint": "检测点", "declared": "自主申报", "gate": "门岗"}

// registerExport writes every row of the register's filter (all pages) to .xlsx,
// streaming them from one query into the sheet. A refusal comes before the first row,
// and xlsx.Write sends nothing before it, so a refusal is an error page: the headers of
// the file are set with the first row (or at the end, when there is none).
func (s *Server) registerExport(w http.ResponseWriter, r *http.Request, gateReg bool) error {
	p := principal(r)
	f, err := registerFilter(r)
	if err != nil {
		return err
	}
	loc := s.pol.Location()
	name, cols := "体温检测登记台账", temperatureRegisterColumns
	if gateReg {
		name, cols = "进出登记台账", gateRegisterColumns
	}
	day := f.Day
	if day == "" {
		day = s.db.Today()
	}
	attached := false
	attach := func() {
		if !attached {
			attached = true
			xlsxDownload(w, "register.xlsx", name+"-"+day+".xlsx")
		}
	}
	return xlsx.Write(w, name, cols, func(yield func([]any) error) error {
		var err error
		if gateReg {
			err = s.db.EachGateRegister(r.Context(), p, f, func(g ledger.GateRow) error {
				attach()
				res := "准予通行"
				if !g.Allow {
					res = "拒绝"
				}
				var temp, dis any
				if g.Temperature != nil {
					temp = *g.Temperature
				}
				if g.FreightDisinfected != nil {
					dis = map[bool]string{true: "是", false: "否"}[*g.FreightDisinfected]
				}
				return yield([]any{g.At.In(loc).Format("2006-01-02 15:04:05"), g.EnterpriseName, g.Checkpoint, kindZH[g.Kind], g.Name, g.IDMasked, g.Phone,
					g.Plate, g.Purpose, g.Host, temp, dis, res, g.Reason})
			})
		} else {
			err = s.db.EachTemperatureRegister(r.Context(), p, f, func(t ledger.TemperatureRow) error {
				attach()
				fever := ""
				if t.Fever || t.Symptoms != "" {
					fever = "是"
				}
				return yield([]any{t.At.In(loc).Format("2006-01-02 15:04:05"), t.EnterpriseName, t.Checkpoint, t.Name, t.Department, t.Temperature,
					t.Symptoms, sourceZH[t.Source], fever})
			})
		}
		if err != nil {
			return err
		}
		attach()
		return nil
	})
}

func (s *Server) gateRegisterExport(w http.ResponseWriter, r *http.Request) error {
	return s.registerExport(w, r, true)
}

func (s *Server) temperatureRegisterExport(w http.ResponseWriter, r *http.Request) error {
	return s.registerExport(w, r, false)
}
