// document.scanned / scan.coversheet.accepted codecs.
#include "schemas/scan.hpp"

namespace hub::schemas {

namespace {
Status ReadDocument(const wire::MapReader& r, DocumentScanned* b) {
  HUB_RETURN_IF_ERROR(r.Str("document_id", &b->document_id));
  HUB_RETURN_IF_ERROR(r.Str("coversheet_id", &b->coversheet_id));
  HUB_RETURN_IF_ERROR(r.Str("referral_id", &b->referral_id));
  HUB_RETURN_IF_ERROR(r.Str("nhs_number", &b->nhs_number));
  HUB_RETURN_IF_ERROR(r.Str("document_type", &b->document_type));
  HUB_RETURN_IF_ERROR(r.StrOr("document_date", &b->document_date));
  HUB_RETURN_IF_ERROR(r.Str("scan_date", &b->scan_date));
  HUB_RETURN_IF_ERROR(r.Int("page_count", &b->page_count));
  HUB_RETURN_IF_ERROR(r.Str("sha256", &b->sha256));
  HUB_RETURN_IF_ERROR(r.Str("location", &b->location));
  return r.Str("batch_id", &b->batch_id);
}

Status ReadAccepted(const wire::MapReader& r, ScanCoversheetAccepted* b) {
  HUB_RETURN_IF_ERROR(r.Str("coversheet_id", &b->coversheet_id));
  return r.Bool("duplicate", &b->duplicate);
}
}  // namespace

std::string EncodeDocumentScanned(const DocumentScanned& b) {
  wire::MapWriter w;
  w.Str("document_id", b.document_id)
      .Str("coversheet_id", b.coversheet_id)
      .Str("referral_id", b.referral_id)
      .Str("nhs_number", b.nhs_number)
      .Str("document_type", b.document_type);
  WriteOptStr(w, "document_date", b.document_date);
  w.Str("scan_date", b.scan_date)
      .Int("page_count", b.page_count)
      .Str("sha256", b.sha256)
      .Str("location", b.location)
      .Str("batch_id", b.batch_id);
  return w.Finish();
}

Result<DocumentScanned> DecodeDocumentScanned(std::string_view bytes) {
  return DecodeBody<DocumentScanned>(bytes, ReadDocument);
}

std::string EncodeScanCoversheetAccepted(const ScanCoversheetAccepted& b) {
  return wire::MapWriter()
      .Str("coversheet_id", b.coversheet_id)
      .Bool("duplicate", b.duplicate)
      .Finish();
}

Result<ScanCoversheetAccepted> DecodeScanCoversheetAccepted(std::string_view bytes) {
  return DecodeBody<ScanCoversheetAccepted>(bytes, ReadAccepted);
}

}  // namespace hub::schemas
