package xlsx

import "time"

// Result says what an import did, or would do.
type Result struct {
	Rows     int        `json:"rows"`
	Created  int        `json:"created"`
	Updated  int        `json:"updated"`
	Skipped  int        `json:"skipped"` // invalid rows left out when importing the valid rows only
	Errors   []RowError `json:"errors"`
	Written  bool       `json:"written"`
	BadRows  int        `json:"bad_rows"`
	Duration string     `json:"duration"`
}

// RowError is one problem with one row.
type RowError struct {
	Row       int    `json:"row"`
	Field     string `json:"field"`
	Message   string `json:"message"`
	MessageEN string `json:"message_en"`
}

// Job is a spreadsheet import running or done.
type Job struct {
	ID         int64      `json:"id"`
	Kind       string     `json:"kind"`
	UserID     int64      `json:"user_id"`
	FileName   string     `json:"file_name"`
	Status     string     `json:"status"` // running, done, failed
	Total      int        `json:"total"`
	Done       int        `json:"done"`
	Message    string     `json:"message"`
	Result     *Result    `json:"result,omitempty"`
	CreatedAt  time.Time  `json:"created_at"`
	FinishedAt *time.Time `json:"finished_at,omitempty"`
}
