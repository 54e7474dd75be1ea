// CaB adapter message codecs.
#include "schemas/cab.hpp"

namespace hub::schemas {

namespace {

Status ReadAck(const wire::MapReader& r, CabAck* b) {
  HUB_RETURN_IF_ERROR(r.Int("slots", &b->slots));
  return r.Bool("reconcile", &b->reconcile);
}

Status ReadDrift(const wire::MapReader& r, CabDrift* b) {
  std::optional<bool> refresh;
  HUB_RETURN_IF_ERROR(r.OptBool("refresh", &refresh));
  b->refresh = refresh.value_or(false);
  return Status::Ok();
}

Status ReadDriftResult(const wire::MapReader& r, CabDriftResult* b) {
  HUB_RETURN_IF_ERROR(r.Int("at_ms", &b->at_ms));
  HUB_RETURN_IF_ERROR(r.StrOr("error", &b->error));
  HUB_RETURN_IF_ERROR(r.StrOr("ers_error", &b->ers_error));
  HUB_RETURN_IF_ERROR(r.Int("items", &b->items));
  HUB_RETURN_IF_ERROR(r.Int("needs_person", &b->needs_person));
  HUB_RETURN_IF_ERROR(r.Int("fixed", &b->fixed));
  HUB_RETURN_IF_ERROR(r.Int("published_slots", &b->published_slots));
  return r.Str("text", &b->text);
}

}  // namespace

std::string EncodeCabAck(const CabAck& b) {
  return wire::MapWriter().Int("slots", b.slots).Bool("reconcile", b.reconcile).Finish();
}
Result<CabAck> DecodeCabAck(std::string_view bytes) { return DecodeBody<CabAck>(bytes, ReadAck); }

std::string EncodeCabDrift(const CabDrift& b) {
  return wire::MapWriter().Bool("refresh", b.refresh).Finish();
}
Result<CabDrift> DecodeCabDrift(std::string_view bytes) {
  return DecodeBody<CabDrift>(bytes, ReadDrift);
}

std::string EncodeCabDriftResult(const CabDriftResult& b) {
  wire::MapWriter w;
  w.Int("at_ms", b.at_ms);
  WriteOptStr(w, "error", b.error);
  WriteOptStr(w, "ers_error", b.ers_error);
  w.Int("items", b.items)
      .Int("needs_person", b.needs_person)
      .Int("fixed", b.fixed)
      .Int("published_slots", b.published_slots)
      .Str("text", b.text);
  return w.Finish();
}
Result<CabDriftResult> DecodeCabDriftResult(std::string_view bytes) {
  return DecodeBody<CabDriftResult>(bytes, ReadDriftResult);
}

}  // namespace hub::schemas
