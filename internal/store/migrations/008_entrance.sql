-- The enterprise's single entrance (丁方案: 「企业只设1个进出通道,在通道设置检测卡口」): the
-- name of the one checkpoint where passes are scanned and visitors and vehicles registered.
-- Empty until the enterprise registers it; when the policy asks for a single entrance
-- ([gate] single_entrance), scans and registrations at any other checkpoint are refused.

ALTER TABLE enterprises ADD COLUMN entrance TEXT NOT NULL DEFAULT '';
