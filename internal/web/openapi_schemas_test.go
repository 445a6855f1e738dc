package web

import (
	"strings"
	"testing"
)

// Every noun defines its own schema names: merging them all works, and a name defined by
// two nouns is refused with both named.
func TestSchemaNamesAreDefinedOnce(t *testing.T) {
	if _, err := mergeSchemas(nounSchemas); err != nil {
		t.Fatal(err)
	}
	_, err := mergeSchemas([]nounSchema{{"passes", passSchemas}, {"gate", gateSchemas}, {"copy", func() obj { return obj{"Pass": obj{}} }}})
	if err == nil || !strings.Contains(err.Error(), "Pass") || !strings.Contains(err.Error(), "passes") || !strings.Contains(err.Error(), "copy") {
		t.Fatalf("a schema defined twice gives %v", err)
	}
}
