// Package dtsclient is a typed Alibaba Cloud DTS (2020-01-01) client for the two
// action families that drive a synchronization job's run state: the legacy
// *SynchronizationJob* actions and the maintained *DtsJob* ones (family.go),
// both decoded into the same types. darabonba-openapi builds and signs the
// requests (ACS3-HMAC-SHA256 by default, HMAC-SHA1 on request); this package
// adds tolerant decoding, error classification, retries, adaptive pacing
// shared between clients (pacer.go) and logging. It has no Terraform types.
package dtsclient
