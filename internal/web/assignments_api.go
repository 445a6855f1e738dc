package web

import (
	"bytes"
	"net/http"

	"fugong/internal/assign"
	"fugong/internal/enterprise"
)

// The JSON API of 包保: assignments, coverage, my enterprises and visits.

func (s *Server) apiAssignments(w http.ResponseWriter, r *http.Request) error {
	f, err := assignmentFilter(r, s.pol)
	if err != nil {
		return err
	}
	items, total, err := s.db.Assignments().List(r.Context(), principal(r), f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, newList(items, total, f.Page))
	return nil
}

// assignmentBatch is the body of POST /api/v1/assignments: the assignments to make, all or
// none; or, with select, one official in one duty for every enterprise of a selection.
type assignmentBatch struct {
	Assignments []assign.Assignment `json:"assignments"`
	Select      *assignmentSelect   `json:"select"`
	Template    *assign.Assignment  `json:"template"`
}

type assignmentSelect struct {
	Region   string `json:"region"`
	ParkID   int64  `json:"park"`
	Category string `json:"category"`
	Key      bool   `json:"key_enterprise"`
}

type assignmentResult struct {
	Items   []assign.Assignment `json:"items"`
	Created int                 `json:"created"`
	Skipped int                 `json:"skipped"`
}

func (s *Server) apiAssignmentsCreate(w http.ResponseWriter, r *http.Request) error {
	var in assignmentBatch
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	ctx, p := r.Context(), principal(r)
	if in.Select != nil {
		f := enterprise.Filter{Region: normCode(in.Select.Region), ParkID: in.Select.ParkID, Category: in.Select.Category, Key: in.Select.Key}
		if err := f.Check(s.pol); err != nil {
			return err
		}
		var tmpl assign.Assignment
		if in.Template != nil {
			tmpl = *in.Template
		}
		n, skipped, err := s.db.Assignments().AssignAll(ctx, p, f, tmpl)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusCreated, assignmentResult{Items: []assign.Assignment{}, Created: n, Skipped: skipped})
		return nil
	}
	items, err := s.db.Assignments().Add(ctx, p, in.Assignments)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, assignmentResult{Items: items, Created: len(items)})
	return nil
}

func (s *Server) apiAssignmentDelete(w http.ResponseWriter, r *http.Request) error {
	if err := noBody(r); err != nil {
		return err
	}
	id, err := pathID(r, "包保安排")
	if err != nil {
		return err
	}
	a, err := s.db.Assignments().Remove(r.Context(), principal(r), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, a)
	return nil
}

func (s *Server) apiAssignmentsImport(w http.ResponseWriter, r *http.Request) error {
	b, _, err := uploadedSheet(r)
	if err != nil {
		return err
	}
	n, rowErrs, err := s.importAssignments(r.Context(), principal(r), bytes.NewReader(b))
	if err != nil {
		return err
	}
	if len(rowErrs) > 0 {
		return rowsError(rowErrs)
	}
	writeJSON(w, http.StatusOK, saveResult{Created: n})
	return nil
}

func (s *Server) apiCoverage(w http.ResponseWriter, r *http.Request) error {
	by, f, err := coverageQuery(r, s.pol)
	if err != nil {
		return err
	}
	c, err := s.db.Assignments().Coverage(r.Context(), principal(r), by, f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}

func (s *Server) apiMyEnterprises(w http.ResponseWriter, r *http.Request) error {
	items, err := s.db.Assignments().Mine(r.Context(), principal(r))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, items)
	return nil
}

func (s *Server) apiVisits(w http.ResponseWriter, r *http.Request) error {
	f, err := visitFilter(r)
	if err != nil {
		return err
	}
	items, total, err := s.db.Assignments().Visits(r.Context(), principal(r), f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, newList(items, total, f.Page))
	return nil
}

// visitInput is the body of POST /api/v1/visits; photos follow with POST /api/v1/visits/{id}/photos.
type visitInput struct {
	EnterpriseID int64  `json:"enterprise_id"`
	Day          string `json:"day"`
	Kind         string `json:"kind"`
	Found        string `json:"found"`
	Problems     string `json:"problems"`
}

func (s *Server) apiVisitCreate(w http.ResponseWriter, r *http.Request) error {
	var in visitInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	v, err := s.db.Assignments().LogVisit(r.Context(), principal(r), assign.Visit{EnterpriseID: in.EnterpriseID, Day: in.Day,
		Kind: assign.VisitKind(in.Kind), Found: in.Found, Problems: in.Problems})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, v)
	return nil
}

// apiVisitPhotos adds photos (multipart: photo, one or more) to a visit the caller logged.
func (s *Server) apiVisitPhotos(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "走访记录")
	if err != nil {
		return err
	}
	if err := parsePhotoForm(r); err != nil {
		return err
	}
	shas, err := s.keepVisitPhotos(r)
	if err != nil {
		return err
	}
	v, err := s.db.Assignments().AddVisitPhotos(r.Context(), principal(r), id, shas)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}

// assignmentSchemas are the OpenAPI schemas of the 包保 routes.
func assignmentSchemas() obj {
	assignment := obj{
		"id":              readOnly(id64("")),
		"enterprise_id":   id64("The enterprise; or name it by uscc"),
		"enterprise_name": readOnly(str("")),
		"uscc":            str("The enterprise's credit code (names it when enterprise_id is not given)"),
		"region_code":     readOnly(str("")),
		"region_name":     readOnly(str("")),
		"duty":            str("Duty code of the policy in force ([[duties]], GET /api/v1/policy)"),
		"user_id":         id64("The official's account (an official's role: admin, command, reviewer, town, grid)"),
		"username":        str("The official's account by user name (instead of user_id)"),
		"name":            str("The official's name; the account's name when not given; required without an account"),
		"phone":           str(""),
		"unit":            str("The official's own unit or post, at most 64 characters"),
		"starts_on":       date("First day in force; today when not given"),
		"ends_on":         date("Last day in force; open when not given"),
		"created_at":      timestamp(),
	}
	gap := obj{
		"enterprise_id": id64(""), "enterprise_name": str(""), "uscc": str(""), "region_code": str(""), "region_name": str(""),
		"park_name": str(""), "category": str(""), "key_enterprise": boolean(""),
		"missing":        array(str(""), "Codes of the required duties nobody holds today"),
		"held":           array(str(""), "Codes of the duties someone holds today"),
		"nobody":         boolean("Nobody at all is answerable for the enterprise"),
		"group":          str("The key of its group"),
		"group_name":     str(""),
		"required_count": integer("How many duties the policy requires of it"),
	}
	return obj{
		"Assignment":     object("A 包保 official answerable for an enterprise in a duty of the policy", []string{"duty"}, assignment),
		"AssignmentList": listSchema("Assignment"),
		"AssignmentBatch": object("Assignments to make, all or none (a problem names assignments[i].field); or select and template: one official in one duty for every enterprise in scope of the selection, skipping those where they hold it already", nil, obj{
			"assignments": array(ref("Assignment"), ""),
			"select": object("The enterprises in scope to assign", nil, obj{
				"region": str("Region code"), "park": id64("Park id"), "category": str("Category code"), "key_enterprise": boolean("Key enterprises only"),
			}),
			"template": ref("Assignment"),
		}),
		"AssignmentResult": object("What was assigned", []string{"items", "created", "skipped"}, obj{
			"items":   array(ref("Assignment"), "The assignments made (empty for a selection)"),
			"created": integer(""),
			"skipped": integer("Enterprises of the selection where the official already held the duty"),
		}),
		"CoverageGap": object("An enterprise missing duties the policy requires", nil, gap),
		"CoverageCount": object("The coverage of one group", []string{"key", "name", "enterprises", "covered", "gaps", "nobody"}, obj{
			"key": str(""), "name": str(""), "enterprises": integer(""), "covered": integer("Every required duty held"),
			"gaps": integer("Missing at least one required duty"), "nobody": integer("Nobody answerable at all"),
		}),
		"Coverage": object("不漏一户、不落一企: the enterprises in scope (closed ones left out) and those missing a required duty today", []string{"by", "enterprises", "covered", "nobody", "groups", "gaps"}, obj{
			"by":          enum("The grouping", "town", "village", "park", "category"),
			"enterprises": integer(""), "covered": integer(""), "nobody": integer(""),
			"groups": array(ref("CoverageCount"), ""),
			"gaps":   array(ref("CoverageGap"), ""),
		}),
		"MyEnterprise": object("An enterprise the caller is assigned to today, with what to know about it today", nil, obj{
			"enterprise_id": id64(""), "enterprise_name": str(""), "region_name": str(""), "status": str("Resumption status"),
			"duties":              array(str(""), "The caller's duty codes for it"),
			"notice_serial":       str("The resumption notice in force, \"\" when none"),
			"notice_id":           id64(""),
			"open_rectifications": integer("Rectification orders of the enterprise not closed"),
			"hazards":             integer("Hazards of the enterprise not closed"),
			"fevers_today":        integer(""), "passes_suspended": integer(""),
			"report_confirmed": boolean("Today's daily report is confirmed"),
			"last_visit":       str("Day of the last visit, \"\" when none"),
		}),
		"MyEnterpriseList": array(ref("MyEnterprise"), "The caller's enterprises"),
		"Visit": object("A visit (走访记录) of an official to an enterprise", []string{"enterprise_id", "kind", "found"}, obj{
			"id": readOnly(id64("")), "enterprise_id": id64(""), "enterprise_name": readOnly(str("")), "user_id": readOnly(id64("")),
			"visitor":    readOnly(str("")),
			"day":        date("Day of the visit; today when not given; not after today"),
			"kind":       enum("现场办公, 抽查检查, 明察暗访, 电话, 视频", "onsite", "spot", "unannounced", "phone", "video"),
			"found":      str("What was found, at most 2000 characters"),
			"problems":   str("Problems raised with the enterprise, at most 2000 characters"),
			"photos":     readOnly(array(str(""), "SHA-256 of the photos: added with POST /api/v1/visits/{id}/photos (or from the page)")),
			"created_at": timestamp(),
		}),
		"VisitList": listSchema("Visit"),
	}
}
