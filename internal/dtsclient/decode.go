package dtsclient

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
)

// The flex types accept what DTS really sends: the SDK declares many numbers and
// booleans as strings, some responses use JSON numbers/booleans instead, and a
// value of an unexpected type is ignored rather than failing the whole response.

// flexString accepts a JSON string, number or boolean.
type flexString string

func (s *flexString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return nil
	}
	switch b[0] {
	case '"':
		if bytes.IndexByte(b, '\\') < 0 && len(b) >= 2 && b[len(b)-1] == '"' {
			*s = flexString(b[1 : len(b)-1])
			return nil
		}
		var v string
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*s = flexString(v)
	case 'n', '{', '[':
		// null, objects and arrays carry no scalar value.
	default:
		*s = flexString(b)
	}
	return nil
}

// flexInt accepts a JSON number or a numeric string; fractions are truncated.
type flexInt int64

func (n *flexInt) UnmarshalJSON(b []byte) error {
	var s flexString
	if err := s.UnmarshalJSON(b); err != nil {
		return err
	}
	raw := strings.TrimSpace(string(s))
	if v, err := strconv.ParseInt(raw, 10, 64); err == nil {
		*n = flexInt(v)
	} else if f, err := strconv.ParseFloat(raw, 64); err == nil {
		*n = flexInt(int64(f))
	}
	return nil
}

// flexBool accepts true/false, "true"/"false" in any case, and 1/0 as number or string.
type flexBool bool

func (v *flexBool) UnmarshalJSON(b []byte) error {
	var s flexString
	if err := s.UnmarshalJSON(b); err != nil {
		return err
	}
	switch strings.ToLower(strings.TrimSpace(string(s))) {
	case "true", "1":
		*v = true
	case "false", "0":
		*v = false
	}
	return nil
}

// flexList accepts a JSON array, or an XML-style wrapper object holding one array
// ({"Item":[...]}); anything else decodes as empty, and items that do not decode
// are dropped.
type flexList[T any] []T

func (l *flexList[T]) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return nil
	}
	switch b[0] {
	case '[':
		var items []T
		if err := json.Unmarshal(b, &items); err == nil {
			*l = items
			return nil
		}
		// Slow path: drop the items that do not decode (e.g. a bare string).
		var raws []json.RawMessage
		if err := json.Unmarshal(b, &raws); err != nil {
			return err
		}
		items = items[:0]
		for _, r := range raws {
			var item T
			if json.Unmarshal(r, &item) == nil {
				items = append(items, item)
			}
		}
		*l = items
	case '{':
		var wrapper map[string]json.RawMessage
		if err := json.Unmarshal(b, &wrapper); err != nil {
			return err
		}
		for _, inner := range wrapper {
			if inner = bytes.TrimSpace(inner); len(inner) > 0 && inner[0] == '[' {
				return l.UnmarshalJSON(inner)
			}
		}
	}
	return nil
}

// decodeObject decodes b into v when b is a JSON object, so optional objects
// sent as "" or null are skipped instead of failing the decode. v is the
// caller's type without its UnmarshalJSON, which would otherwise recurse.
func decodeObject[T any](b []byte, v *T) error {
	if b = bytes.TrimSpace(b); len(b) == 0 || b[0] != '{' {
		return nil
	}
	return json.Unmarshal(b, v)
}
