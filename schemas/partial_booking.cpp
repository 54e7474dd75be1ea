// Partial-booking command codecs.
#include "schemas/partial_booking.hpp"

#include "schemas/booking_types.hpp"

namespace hub::schemas {

namespace {
Status ReadPbContact(const wire::MapReader& r, PbContact* b) {
  HUB_RETURN_IF_ERROR(r.Str("entry_id", &b->entry_id));
  if (b->entry_id.empty()) return r.Invalid("entry_id", "must not be empty");
  HUB_RETURN_IF_ERROR(r.StrOr("contacted_on", &b->contacted_on));
  HUB_RETURN_IF_ERROR(r.StrOr("recorded_by", &b->recorded_by));
  return r.StrOr("note", &b->note);
}
}  // namespace

std::string EncodePbContact(const PbContact& b) {
  wire::MapWriter w;
  w.Str("entry_id", b.entry_id);
  WriteOptStr(w, "contacted_on", b.contacted_on);
  WriteOptStr(w, "recorded_by", b.recorded_by);
  WriteOptStr(w, "note", b.note);
  return w.Finish();
}

Result<PbContact> DecodePbContact(std::string_view bytes) {
  return DecodeBody<PbContact>(bytes, ReadPbContact);
}

}  // namespace hub::schemas
