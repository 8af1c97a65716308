//go:build linux

package fleet_test

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
)

// firingAlert is what Alertmanager's /api/v2/alerts says of one alert.
type firingAlert struct {
	Labels      map[string]string `json:"labels"`
	Annotations map[string]string `json:"annotations"`
	Status      struct {
		State string `json:"state"`
	} `json:"status"`
}

// alerts lists the active alerts named name that Alertmanager holds.
func (s *stack) alerts(ctx context.Context, name string) ([]firingAlert, error) {
	var all []firingAlert
	q := url.Values{"filter": {fmt.Sprintf("alertname=%q", name)}, "active": {"true"}}
	if err := getJSON(ctx, s.alertmanager+"/api/v2/alerts?"+q.Encode(), &all); err != nil {
		return nil, err
	}
	return all, nil
}

// sample is one series of a Prometheus instant query.
type sample struct {
	Metric map[string]string
	Value  float64
}

// query runs a PromQL instant query.
func (s *stack) query(ctx context.Context, promql string) ([]sample, error) {
	var body struct {
		Status string `json:"status"`
		Data   struct {
			Result []struct {
				Metric map[string]string `json:"metric"`
				Value  [2]any            `json:"value"`
			} `json:"result"`
		} `json:"data"`
	}
	if err := getJSON(ctx, s.prometheus+"/api/v1/query?"+url.Values{"query": {promql}}.Encode(), &body); err != nil {
		return nil, err
	}
	if body.Status != "success" {
		return nil, fmt.Errorf("query %s: status %s", promql, body.Status)
	}
	out := make([]sample, 0, len(body.Data.Result))
	for _, r := range body.Data.Result {
		text, _ := r.Value[1].(string)
		v, err := strconv.ParseFloat(text, 64)
		if err != nil {
			return nil, fmt.Errorf("query %s: value %v: %w", promql, r.Value[1], err)
		}
		out = append(out, sample{Metric: r.Metric, Value: v})
	}
	return out, nil
}
