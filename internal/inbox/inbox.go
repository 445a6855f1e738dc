// Package inbox holds the messages the product leaves for its users: alerts, to-dos and
// news of what happened to their work.
package inbox

import "time"

// Message is one message in a user's inbox.
type Message struct {
	ID        int64      `json:"id"`
	Kind      string     `json:"kind"`
	Title     string     `json:"title"`
	Body      string     `json:"body"`
	Link      string     `json:"link"`
	CreatedAt time.Time  `json:"created_at"`
	ReadAt    *time.Time `json:"read_at,omitempty"`
}
