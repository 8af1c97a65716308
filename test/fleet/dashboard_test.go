//go:build linux

package fleet_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// dashboardQueries reads every panel's PromQL from the shipped Grafana dashboard, with the
// dashboard's variables set as a user who picks every site would have them.
func dashboardQueries(t *testing.T) []string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(shipped, "grafana-dashboard.json"))
	if err != nil {
		t.Fatal(err)
	}
	var dash struct {
		Panels []struct {
			Title   string `json:"title"`
			Targets []struct {
				Expr string `json:"expr"`
			} `json:"targets"`
		} `json:"panels"`
	}
	if err := json.Unmarshal(data, &dash); err != nil {
		t.Fatalf("grafana-dashboard.json: %v", err)
	}
	vars := strings.NewReplacer(`$site`, `.*`, `$__rate_interval`, `1m`)
	var queries []string
	for _, p := range dash.Panels {
		if len(p.Targets) == 0 {
			t.Errorf("panel %q has no query", p.Title)
		}
		for _, target := range p.Targets {
			queries = append(queries, vars.Replace(target.Expr))
		}
	}
	if len(queries) == 0 {
		t.Fatal("the dashboard has no queries")
	}
	return queries
}

// checkDashboard runs every query of the dashboard against a Prometheus that holds the
// simulated computers' data: each must be valid PromQL and find something, so a metric or label
// name that the collector does not write fails here.
func checkDashboard(ctx context.Context, t *testing.T, s *stack) {
	t.Helper()
	for _, q := range dashboardQueries(t) {
		got, err := s.query(ctx, q)
		if err != nil {
			t.Errorf("dashboard query %s: %v", q, err)
		} else if len(got) == 0 {
			t.Errorf("dashboard query %s finds nothing", q)
		}
	}
}
