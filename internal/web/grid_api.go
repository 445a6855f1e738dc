package web

import (
	"net/http"

	"fugong/internal/grid"
	"fugong/internal/policy"
)

// gridAnswer is GET /api/v1/grid: the policy's chains, the levels the caller holds and
// the passes waiting for them.
type gridAnswer struct {
	Chains  []policy.GridChain `json:"chains"`
	Units   []string           `json:"units"`
	Waiting []grid.Pass        `json:"waiting"`
}

func (s *Server) apiGrid(w http.ResponseWriter, r *http.Request) error {
	items, units, err := s.db.Passes().GridWaiting(r.Context(), principal(r))
	if err != nil {
		return err
	}
	if units == nil {
		units = []string{}
	}
	chains := s.pol.GridChains
	if chains == nil {
		chains = []policy.GridChain{}
	}
	writeJSON(w, http.StatusOK, gridAnswer{Chains: chains, Units: units, Waiting: items})
	return nil
}

// gridDecision is the body of POST /api/v1/grid/passes/{id}.
type gridDecision struct {
	Approve *bool  `json:"approve"`
	Reason  string `json:"reason"`
}

// gridDecisionOf reads the id of the path (naming what, for a message) and the body of a
// decision: approve unless it says false.
func gridDecisionOf(r *http.Request, what string) (id int64, approve bool, reason string, err error) {
	if id, err = pathID(r, what); err != nil {
		return
	}
	var in gridDecision
	if err = decodeJSON(r, &in); err != nil {
		return
	}
	return id, in.Approve == nil || *in.Approve, in.Reason, nil
}

func (s *Server) apiGridDecide(w http.ResponseWriter, r *http.Request) error {
	id, approve, reason, err := gridDecisionOf(r, "出入证")
	if err != nil {
		return err
	}
	g, err := s.db.Passes().GridDecide(r.Context(), principal(r), id, approve, reason)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, g)
	return nil
}

func (s *Server) apiGridDecideList(w http.ResponseWriter, r *http.Request) error {
	id, approve, reason, err := gridDecisionOf(r, "企业")
	if err != nil {
		return err
	}
	gs, err := s.db.Passes().GridDecideList(r.Context(), principal(r), id, approve, reason)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": gs})
	return nil
}

// gridSchemas are the OpenAPI schemas of the grid routes.
func gridSchemas() obj {
	decision := object("One level's decision", []string{"step", "unit", "approve", "decided_at"}, obj{
		"step": integer("0 for the lowest level"), "unit": str("The level's unit code"), "approve": boolean(""),
		"reason": str("Why it refused"), "by": str("Who decided"), "decided_at": timestamp(),
	})
	gridPass := obj{
		"chain":     str("The chain's code; \"\" when the policy has none for the enterprise"),
		"steps":     array(str(""), "Units that approve, the lowest first"),
		"next":      str("The unit that decides now; \"\" when none"),
		"decisions": array(ref("GridDecision"), "Taken so far"),
	}
	// A grid pass is a pass with its place in the chain.
	passProps := obj{}
	if p, ok := passSchemas()["Pass"].(obj); ok {
		if props, ok := p["properties"].(obj); ok {
			for k, v := range props {
				passProps[k] = v
			}
		}
	}
	for k, v := range gridPass {
		passProps[k] = v
	}
	return obj{
		"GridDecision": decision,
		"GridPass":     object("A requested pass and where it stands in its grid chain", nil, passProps),
		"GridChain": object("A chain of grid leaders of the policy", []string{"code", "name", "levels"}, obj{
			"code": str(""), "name": str(""), "name_en": str(""),
			"above_scale": boolean("The enterprises above (true) or below (false) designated size; absent for all"),
			"levels":      array(str(""), "Unit codes, the highest (总网格长) first"),
			"clause":      str(""),
		}),
		"Grid": object("The grid chains of the policy, the levels the caller holds and the passes waiting for them", []string{"chains", "units", "waiting"}, obj{
			"chains":  array(ref("GridChain"), ""),
			"units":   array(str(""), "Unit codes of the levels the caller holds"),
			"waiting": array(ref("GridPass"), ""),
		}),
		"GridPasses": object("The passes of a returning staff list as they stand after the decision", []string{"items"}, obj{
			"items": array(ref("GridPass"), "In the order they were requested"),
		}),
		"GridDecisionInput": object("A level's decision on a pass: approve (the default) or refuse with the reason", nil, obj{
			"approve": boolean("false to refuse"),
			"reason":  str("Required to refuse"),
		}),
	}
}
