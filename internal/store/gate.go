package store

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"strings"
	"time"
	"unicode/utf8"

	"fugong/internal/apperr"
	"fugong/internal/auth"
	"fugong/internal/idnum"
	"fugong/internal/roster"
	"fugong/internal/sign"
)

// ScanResult is the gate's answer to a pass scan.
type ScanResult struct {
	Allow    bool   `json:"allow"`
	Code     string `json:"code"` // ok, bad_token, not_found, not_approved, suspended, revoked (also when the holder left), other_enterprise, no_notice, wrong_entrance, fever
	Reason   string `json:"reason"`
	ReasonEN string `json:"reason_en"`
	Person   string `json:"person,omitempty"` // masked name
	Color    string `json:"color"`            // green or red
	PassID   int64  `json:"pass_id,omitempty"`
}

func deny(code, zh, en string) ScanResult {
	return ScanResult{Code: code, Reason: zh, ReasonEN: en, Color: "red"}
}

// Scan checks a pass at the gate, in order: the token's signature, the pass exists and is
// approved, not suspended or revoked, the person has not left, the pass belongs to the
// guard's enterprise, the enterprise's notice is valid (computed now, not stored), the
// temperature is below the fever line. A fever records a health check and suspends the
// pass; a normal temperature is recorded as a check too. Every scan is logged.
//
// The checks read committed data before the shared write transaction, so that it holds
// only the inserts: a scan answers as of the moment it was checked.
func (s *Employees) Scan(ctx context.Context, actor auth.Principal, v *sign.Verifier, token string, temperature *float64, checkpoint string) (ScanResult, error) {
	if !actor.Can(auth.GateScan) {
		return ScanResult{}, apperr.NewForbidden()
	}
	if temperature != nil && (math.IsNaN(*temperature) || *temperature < MinTemperature || *temperature > MaxTemperature) {
		return ScanResult{}, apperr.NewInvalid("temperature", "体温应在 30.0 到 45.0 ℃ 之间", "The temperature must be from 30.0 to 45.0 °C")
	}
	arrived := s.db.groupComing()
	defer arrived()
	var scope where
	if err := s.db.enterpriseScope(ctx, actor, &scope); err != nil {
		return ScanResult{}, err
	}
	claims, verr := v.Verify(token, s.db.Now())
	checked, passID, who, err := s.check(ctx, actor, claims, verr, token)
	if err != nil {
		return ScanResult{}, err
	}
	checked = s.entranceCheck(checked, who.entrance, checkpoint) // single entrance, see entrance.go
	entID := who.entID
	if entID == 0 && actor.Scope.Kind == auth.ScopeEnterprise {
		entID = actor.Scope.ID
	}
	// check placed the holder in the scanner's enterprise; other scopes look it up.
	known := &who.person
	if k := actor.Scope.Kind; k != auth.ScopeAll && k != auth.ScopeEnterprise {
		known = nil
	}
	var res ScanResult
	arrived()
	err = s.db.WriteGrouped(ctx, func(tx *Tx) error {
		res = checked
		if res.Code == "" {
			res = ScanResult{Allow: true, Code: "ok", Reason: "准予通行", ReasonEN: "Allowed", Color: "green", Person: res.Person, PassID: passID}
			if temperature != nil {
				chk, err := s.recordTx(tx, actor, scope, Reading{EmployeeID: who.id, Temperature: math.Round(*temperature*10) / 10, Checkpoint: cmpOr(checkpoint, "门岗")}, SourceGate, known)
				if err != nil {
					return err
				}
				if chk.Fever {
					res = deny("fever", fmt.Sprintf("体温 %.1f℃ 异常,禁止入内,出入证已暂停", chk.Temperature),
						fmt.Sprintf("Temperature %.1f °C: entry refused, the pass is suspended", chk.Temperature))
					res.Person, res.PassID = chk.Name, passID
				}
			}
		}
		var temp any
		if temperature != nil {
			temp = *temperature
		}
		now := tx.Now()
		_, err := tx.Exec(hot(`INSERT INTO gate_events (enterprise_id, kind, pass_id, employee_id, allow, reason, temperature, name, day, operator_id, at)
			VALUES (?, 'employee', ?, ?, ?, ?, ?, ?, ?, ?, ?)`), nullID(entID), nullID(passID), nullID(who.id), res.Allow, res.Code, temp, res.Person,
			roster.FormatDate(now, s.pol.Location()), nullID(actor.UserID), now)
		return err
	})
	return res, err
}

func cmpOr(a, b string) string {
	if strings.TrimSpace(a) != "" {
		return strings.TrimSpace(a)
	}
	return b
}

// holder is the person a scanned pass belongs to.
type holder struct {
	id int64
	person
	entrance string // the registered single entrance of the enterprise, if any
}

// passState is what a scan checks of a pass: the pass, its holder, the enterprise's
// entrance and whether it holds a valid notice.
type passState struct {
	holder
	status, reason, token string
	left                  bool
	notices               int
}

// passState reads the state of pass id from committed data, kept briefly (memo.go): what
// it holds changes by a Write, or by a fever's suspension, and either makes it forgotten.
func (s *Employees) passState(ctx context.Context, id int64) (st passState, found bool, err error) {
	key := fmt.Sprint("pass ", id)
	if v, ok := s.db.memo.get(key); ok {
		return v.(passState), true, nil
	}
	gen := s.db.memo.gen.Load()
	var left sql.NullTime
	err = s.db.queryRow(ctx, hot(`SELECT p.employee_id, p.enterprise_id, p.status, p.reason, p.token, m.name, m.left_at, e.entrance,
		(SELECT COUNT(*) FROM notices n WHERE n.enterprise_id = p.enterprise_id AND n.revoked_at IS NULL)
		FROM passes p JOIN employees m ON m.id = p.employee_id JOIN enterprises e ON e.id = p.enterprise_id WHERE p.id = ?`), id).Scan(
		&st.id, &st.entID, &st.status, &st.reason, &st.token, &st.name, &left, &st.entrance, &st.notices)
	if isNoRows(err) {
		return st, false, nil
	}
	if err != nil {
		return st, false, err
	}
	st.left = left.Valid
	s.db.memo.put(key, st, gen)
	return st, true, nil
}

// check runs the checks up to the temperature on committed data; a zero Code means they
// passed. The token's signature was verified before (c, err). The holder is known once
// the pass is found; passID once the pass is its holder's.
func (s *Employees) check(ctx context.Context, actor auth.Principal, c sign.Claims, err error, token string) (res ScanResult, passID int64, who holder, _ error) {
	if err != nil {
		zh, en := sign.Message(err)
		return deny("bad_token", "无效出入证:"+zh, "Invalid pass: "+en), 0, who, nil
	}
	if c.Kind != sign.PassKind {
		return deny("bad_token", "这不是出入证,请出示本人出入证", "This is not an entry pass"), 0, who, nil
	}
	st, found, err := s.passState(ctx, c.ID)
	if err != nil {
		return res, 0, holder{}, err
	}
	who = st.holder
	status, reason, left, notices := st.status, st.reason, st.left, st.notices
	if !found || st.token != strings.TrimSpace(token) && !strings.HasSuffix(strings.TrimSpace(token), st.token) || who.id != c.SubjectID {
		return deny("not_found", "查无此出入证,禁止入内", "No such pass: entry refused"), 0, holder{}, nil
	}
	fail := func(code, zh, en string) (ScanResult, int64, holder, error) {
		r := deny(code, zh, en)
		r.Person, r.PassID = c.Subject, c.ID
		return r, c.ID, who, nil
	}
	switch status {
	case PassRequested:
		return fail("not_approved", "出入证尚未批准,禁止入内", "The pass is not approved yet: entry refused")
	case PassSuspended:
		n := ReasonNames[reason]
		return fail("suspended", "出入证已暂停("+n[0]+"),禁止入内", "The pass is suspended ("+n[1]+"): entry refused")
	case PassRevoked:
		n := ReasonNames[reason]
		return fail("revoked", "出入证已撤销("+n[0]+"),禁止入内", "The pass is revoked ("+n[1]+"): entry refused")
	}
	if left {
		return fail("revoked", "持证人已离职,出入证作废", "The holder has left: the pass is void")
	}
	if actor.Scope.Kind == auth.ScopeEnterprise && actor.Scope.ID != who.entID {
		return fail("other_enterprise", "非本企业出入证,禁止入内", "Not a pass of this enterprise: entry refused")
	}
	if notices == 0 {
		n := ReasonNames[ReasonNoticeRevoked]
		return fail("no_notice", n[0], n[1])
	}
	return ScanResult{Person: c.Subject, PassID: c.ID}, c.ID, who, nil
}

// GateEntry is a logged entry at the gate: a pass scan, a visitor or a vehicle.
type GateEntry struct {
	ID                 int64     `json:"id"`
	EnterpriseID       int64     `json:"enterprise_id"`
	Kind               string    `json:"kind"` // employee, visitor, vehicle
	Allow              bool      `json:"allow"`
	Reason             string    `json:"reason"`
	Temperature        *float64  `json:"temperature,omitempty"`
	Name               string    `json:"name"`
	Phone              string    `json:"phone,omitempty"`
	IDMasked           string    `json:"id_masked,omitempty"`
	Purpose            string    `json:"purpose,omitempty"`
	Host               string    `json:"host,omitempty"`
	Plate              string    `json:"plate,omitempty"`
	FreightDisinfected *bool     `json:"freight_disinfected,omitempty"`
	Checkpoint         string    `json:"checkpoint,omitempty"` // where it was registered (not stored); see entrance.go
	At                 time.Time `json:"at"`
}

// Register logs a visitor (name, phone, ID number kept masked only, purpose, host,
// temperature) or a vehicle (plate, driver, driver's temperature, whether the freight was
// disinfected). A fever or undisinfected freight is logged as refused.
func (s *Employees) Register(ctx context.Context, actor auth.Principal, e GateEntry, idNumber string) (GateEntry, error) {
	if !actor.Can(auth.GateScan) {
		return GateEntry{}, apperr.NewForbidden()
	}
	if e.EnterpriseID == 0 && actor.Scope.Kind == auth.ScopeEnterprise {
		e.EnterpriseID = actor.Scope.ID
	}
	if err := s.enterpriseInScope(ctx, actor, e.EnterpriseID); err != nil {
		return GateEntry{}, err
	}
	var ps apperr.Problems
	e.ID, e.IDMasked = 0, ""
	e.Name, e.Phone, e.Purpose, e.Host = strings.TrimSpace(e.Name), strings.TrimSpace(e.Phone), strings.TrimSpace(e.Purpose), strings.TrimSpace(e.Host)
	e.Plate = strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(e.Plate), " ", ""))
	for _, f := range []struct{ name, v string }{{"name", e.Name}, {"phone", e.Phone}, {"purpose", e.Purpose}, {"host", e.Host}, {"plate", e.Plate}} {
		if utf8.RuneCountInString(f.v) > 100 {
			ps.Add(f.name, "内容过长", "Too long")
		}
	}
	switch e.Kind {
	case "visitor":
		if e.Name == "" {
			ps.Add("name", "请填写访客姓名", "Enter the visitor's name")
		}
		if e.Phone != "" && !auth.PhoneRE.MatchString(e.Phone) {
			ps.Add("phone", "电话号码格式不正确", "The phone number is not valid")
		}
		if id := idnum.Normalize(idNumber); id != "" {
			if idnum.Validate(id) != nil {
				ps.Add("id_number", "身份证号码无效", "Invalid identity number")
			} else {
				e.IDMasked = idnum.Mask(id)
			}
		}
		e.Plate, e.FreightDisinfected = "", nil
	case "vehicle":
		if !plateRE.MatchString(strings.ReplaceAll(e.Plate, "·", "")) {
			ps.Add("plate", "车牌号格式不正确,例如 浙F12345", "The plate is not valid, e.g. 浙F12345")
		}
	default:
		ps.Add("kind", "请选择访客或车辆", "Choose visitor or vehicle")
	}
	if e.Temperature == nil {
		ps.Add("temperature", "请测量体温", "Take the temperature")
	} else if t := *e.Temperature; math.IsNaN(t) || t < MinTemperature || t > MaxTemperature {
		ps.Add("temperature", "体温应在 30.0 到 45.0 ℃ 之间", "The temperature must be from 30.0 to 45.0 °C")
	}
	if err := ps.Err(); err != nil {
		return GateEntry{}, err
	}
	t := math.Round(*e.Temperature*10) / 10
	e.Temperature = &t
	e.Allow, e.Reason = true, "ok"
	switch {
	case t >= s.pol.Health.FeverLine:
		e.Allow, e.Reason = false, "fever"
	case e.Kind == "vehicle" && e.FreightDisinfected != nil && !*e.FreightDisinfected:
		e.Allow, e.Reason = false, "not_disinfected"
	}
	s.entranceRegister(ctx, &e) // single entrance, see entrance.go
	err := s.db.Write(ctx, func(tx *Tx) error {
		e.At = tx.Now()
		var fd any
		if e.FreightDisinfected != nil {
			fd = *e.FreightDisinfected
		}
		var err error
		e.ID, err = tx.InsertID(`INSERT INTO gate_events (enterprise_id, kind, allow, reason, temperature, name, phone, id_masked, purpose, host, plate, freight_disinfected, day, operator_id, at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, e.EnterpriseID, e.Kind, e.Allow, e.Reason, t, e.Name, e.Phone, e.IDMasked, e.Purpose, e.Host,
			e.Plate, fd, roster.FormatDate(e.At, s.pol.Location()), nullID(actor.UserID), e.At)
		return err
	})
	return e, err
}

// GateEntries lists today's gate log of the enterprises in scope, newest first.
func (s *Employees) GateEntries(ctx context.Context, actor auth.Principal, enterpriseID int64) ([]GateEntry, error) {
	if !actor.Can(auth.GateScan) {
		return nil, apperr.NewForbidden()
	}
	var w where
	if err := s.db.enterpriseScope(ctx, actor, &w); err != nil {
		return nil, err
	}
	if enterpriseID != 0 {
		w.add("g.enterprise_id = ?", enterpriseID)
	}
	w.add("g.day = ?", roster.FormatDate(s.db.Now(), s.pol.Location()))
	rows, err := s.db.query(ctx, `SELECT g.id, g.enterprise_id, g.kind, g.allow, g.reason, g.temperature, g.name, g.phone, g.id_masked, g.purpose, g.host, g.plate,
		g.freight_disinfected, g.at FROM gate_events g JOIN enterprises e ON e.id = g.enterprise_id`+w.sql()+` ORDER BY g.id DESC LIMIT 200`, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []GateEntry{}
	for rows.Next() {
		var g GateEntry
		var temp sql.NullFloat64
		var fd sql.NullBool
		if err := rows.Scan(&g.ID, &g.EnterpriseID, &g.Kind, &g.Allow, &g.Reason, &temp, &g.Name, &g.Phone, &g.IDMasked, &g.Purpose, &g.Host, &g.Plate, &fd, &g.At); err != nil {
			return nil, err
		}
		if temp.Valid {
			t := temp.Float64
			g.Temperature = &t
		}
		if fd.Valid {
			b := fd.Bool
			g.FreightDisinfected = &b
		}
		g.At = g.At.UTC()
		out = append(out, g)
	}
	return out, rows.Err()
}
