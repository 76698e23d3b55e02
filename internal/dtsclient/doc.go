// Package dtsclient is a typed Alibaba Cloud DTS (2020-01-01) client for the legacy
// synchronization-job actions. darabonba-openapi builds and signs the requests
// (ACS3-HMAC-SHA256 by default, HMAC-SHA1 on request); this package adds tolerant
// decoding, error classification, retries and logging. It has no Terraform types.
package dtsclient
