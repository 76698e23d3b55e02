// Package fakedts is a fake Alibaba Cloud DTS (Data Transmission Service)
// endpoint for the 2020-01-01 RPC API.
//
// It speaks HTTP only: it verifies V1 (HMAC-SHA1) and V3 (ACS3-HMAC-SHA256)
// signatures, answers the legacy synchronization-job actions and the
// maintained DtsJob actions with the JSON shapes of the real service, and
// models jobs as per-direction state machines evaluated lazily against a
// controllable clock, each with a replication delay that grows while paused
// and is worked off after a resume. Tests and demos steer it through a Go
// API or a JSON admin API under /_admin/, pick its answers to what the
// documentation leaves open (Behavior, Profiles), deny actions per access
// key as RAM would (Permissions), and can inject throttling, quotas, 5xx
// answers, dropped connections and truncated bodies.
//
// The package must not import the provider or its client: it is an
// independent check of them.
package fakedts
