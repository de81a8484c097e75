# صفحة المدفوعات: الوجهات، نوايا الدفع، pay / checkout، مصادر الدفع، verifyAddress.
pay-title = المدفوعات
pay-subtitle = ادفع إلى وجهاتك عبر Lean. تتحدّث الحالات مباشرةً مع إشعارات webhook من Lean.

# Payment history
pay-history-title = سجل المدفوعات
pay-history-loading = جارٍ تحميل المدفوعات…
pay-history-empty = لا توجد مدفوعات بعد.
pay-col-created = التاريخ
pay-col-to = إلى
pay-col-amount = المبلغ
pay-col-status = الحالة
pay-col-pay = الدفع
pay-col-name = الاسم
pay-col-currency = العملة
pay-col-bank = البنك
pay-col-recipients = المستفيدون
pay-with-bank = الدفع عبر البنك
pay-with-open-finance = الدفع عبر Open Finance

# Lean's payment statuses
pay-status-intent-created = لم يُدفع بعد
pay-status-pending-with-bank = بانتظار البنك
pay-status-accepted-by-bank = مدفوع: قبله البنك
pay-status-rejected-by-bank = رفض البنك الدفعة
pay-status-failed = فشلت الدفعة
pay-status-unknown = حالة غير معروفة

# How a Link SDK flow ended
pay-outcome-paid = أُرسلت الدفعة. تتبع حالتها أدناه ردّ البنك كما تبلغ عنه Lean.
pay-outcome-done = تم. تتحقق Lean من ذلك مع البنك.
pay-outcome-cancelled = أغلقت نافذة Lean قبل الإتمام. لم يُدفع أي مبلغ.
pay-outcome-redirect = جارٍ تحويلك إلى بنكك…
pay-outcome-failed = لم تكتمل العملية: { $detail }
pay-unknown-error = خطأ غير معروف

# New payment
pay-form-title = دفعة جديدة
pay-form-to = الدفع إلى
pay-form-amount = المبلغ
pay-form-currency = العملة
pay-form-reference = المرجع (اختياري، حتى 32 حرفًا)
pay-form-create = إنشاء الدفعة
pay-form-creating = جارٍ الإنشاء…
pay-add-destination-first = أضف وجهة أولًا.
pay-no-destinations-option = لا توجد وجهات بعد
pay-destination-choose = اختر وجهة.
pay-currency-choose = اختر AED أو SAR.
pay-description-too-long = استخدم 32 حرفًا كحد أقصى.
pay-amount-empty = أدخل المبلغ.
pay-amount-not-a-number = أدخل المبلغ رقمًا، مثل 125.50.
pay-amount-decimals = استخدم خانتين عشريتين كحد أقصى.
pay-amount-too-large = هذا المبلغ كبير جدًا.
pay-amount-not-positive = يجب أن يكون المبلغ أكبر من صفر.

# Destinations
pay-destinations-title = وجهات الدفع
pay-destinations-empty = لا توجد وجهات بعد. أضف وجهة أعلاه.
pay-destination-default = الافتراضية
pay-destination-status-confirmed = مؤكَّدة
pay-destination-status-pending = قيد التحقق
pay-dest-form-title = إضافة وجهة
pay-dest-name-label = اسم صاحب الحساب
pay-dest-display-label = الاسم المعروض (اختياري)
pay-dest-add = إضافة الوجهة
pay-dest-adding = جارٍ الإضافة…
pay-dest-added = تمت إضافة { $name }.
pay-dest-name-two-words = أدخل الاسم الكامل لصاحب الحساب: الاسم الأول واسم العائلة.
pay-dest-name-empty = أدخل اسم صاحب الحساب.
pay-too-long-140 = استخدم 140 حرفًا كحد أقصى.
pay-iban-format = أدخل رقم IBAN، مثل AE07 0331 2345 6789 0123 456.
pay-iban-country = يُقبل فقط رقم IBAN إماراتي (AE…) أو سعودي (SA…).

# Lean's payment error codes in plain words
pay-lean-invalid-iban = تفيد Lean بأن رقم IBAN هذا غير صالح. راجعه مع بيانات البنك.
pay-lean-invalid-name = تحتاج Lean إلى الاسم الكامل لصاحب الحساب: الاسم الأول واسم العائلة على الأقل.
pay-lean-invalid-amount = لم تقبل Lean هذا المبلغ. استخدم رقمًا موجبًا بخانتين عشريتين كحد أقصى.
pay-lean-amount-under-min = هذا المبلغ أقل من أدنى دفعة يسمح بها البنك.
pay-lean-amount-over-max = هذا المبلغ أعلى من أقصى دفعة يسمح بها البنك.
pay-lean-unknown-destination = لم تعد Lean تعرف هذه الوجهة. اختر وجهة أخرى.
pay-lean-unknown-intent = لا تعرف Lean هذه الدفعة.
pay-lean-unknown-source = أضف مصدر دفع (حسابك البنكي) قبل استخدام «الدفع عبر البنك».
pay-lean-payment-in-progress = هناك دفعة لهذا الطلب بانتظار البنك بالفعل.
pay-lean-already-paid = تم دفع هذا المبلغ مسبقًا.
pay-lean-cool-off = ما زال بنكك يجهّز هذا المستفيد (فترة الانتظار). حاول مرة أخرى بعد قليل.
pay-lean-beneficiary-not-found = هذا المستفيد غير مُعدّ في بنكك بعد. أضفه إلى مصدر الدفع أولًا.
pay-lean-invalid-parameters = لم تقبل Lean هذه البيانات.

# Payment sources (Pay with bank)
pay-sources-title = الدفع عبر البنك: مصادر الدفع
pay-sources-intro = يتم «الدفع عبر البنك» من مصدر دفع: حسابك البنكي مع إضافة الوجهة مستفيدًا. يُبقي البنك المستفيد الجديد في فترة انتظار قبل أن يمكن الدفع له. لا يحتاج Open Finance إلى أيٍّ من ذلك.
pay-sources-empty = لا توجد مصادر دفع بعد.
pay-source-destination-label = الوجهة المراد إضافتها مستفيدًا
pay-source-source-label = مصدر الدفع
pay-source-none-yet = لا يوجد مصدر دفع بعد
pay-source-option = المصدر { $number } لدى { $bank }
pay-source-connect = ربط بنك للمدفوعات
pay-source-connect-help = الطريقة التي تنصح بها Lean: تدفق واحد يربط بنكك بصلاحية المدفوعات وينشئ مصدر دفع تكون الوجهة المختارة أول مستفيد فيه. ويضيف «إضافة إلى مصدر الدفع» (updatePaymentSource) مستفيدين آخرين.
pay-deprecated-group = لم تعد Lean تنصح بها
pay-deprecated = لم تعد Lean تنصح بها
pay-deprecated-title = أوقفت Lean ‏createPaymentSource (استخدم الربط بصلاحية المدفوعات) و‏createBeneficiary (استخدم updatePaymentSource)؛ وما زالتا تعملان.
pay-source-create = إضافة مصدر دفع
pay-source-update = إضافة إلى مصدر الدفع
pay-bulk-title = عدة دفعات معًا (دفعة مجمّعة)
pay-bulk-intro = طلب دفع مجمّع واحد (bulk_payment_intent_id من Lean) من 2 إلى 10 دفعات بعملة واحدة، يُدفع مرة واحدة عبر «الدفع عبر البنك»: يختار الدافع حسابًا واحدًا للجميع، ثم تتقدم حالة كل دفعة وحدها.
pay-bulk-line = الدفعة { $n }
pay-bulk-add-line = إضافة دفعة
pay-bulk-remove-line = حذف
pay-bulk-create = إنشاء الدفعة المجمّعة
pay-bulk-count = تضم الدفعة المجمّعة من 2 إلى 10 دفعات.
pay-bulk-currency = تُدفع هذه الوجهة بعملة غير عملة الدفعة المجمّعة.
pay-bulk-not-payable = بعض دفعات هذه المجموعة مدفوعة أو في الطريق؛ ادفع الباقي كلًّا على حدة.
pay-bulk-badge = مجمّعة
pay-bulk-summary = { $count } دفعات، بمجموع { $total }
pay-bulk-pay = ادفع الكل عبر البنك
pay-bulk-created = أُنشئت الدفعة المجمّعة: { $count } دفعات.
pay-options-title = خيارات الدفع (اختيارية)
pay-options-intro = حقول Lean الاختيارية لـ«الدفع عبر البنك» (pay) و«الدفع عبر Open Finance» (checkout). إن تُركت كما هي، تسأل Lean الدافع.
pay-option-account-label = الدفع من هذا الحساب (account_id)
pay-option-account-any = دع الدافع يختار
pay-option-account-help = للدفع عبر البنك فقط: تتخطى Lean اختيار الحساب وتدفع من هذا الحساب من مصادر الدفع لديك.
pay-option-bank-label = البنك (bank_identifier)
pay-option-bank-any = دع الدافع يختار
pay-option-bank-help = تتخطى Lean اختيار البنك. مع الدفع عبر البنك يجب أن يكون بنكًا لديك فيه مصدر دفع.
pay-option-name-label = اسم الدافع (customer_name)
pay-option-name-help = لـ«الدفع عبر Open Finance» فقط: الاسم الذي تعرضه Lean على بنك الدافع.
pay-option-risk-label = إرسال بيانات المخاطر (risk_details)
pay-option-risk-help = يخبر Lean أن الدافع بدأ الدفع بنفسه عبر الويب (القناة WEB، تجارة إلكترونية، العميل حاضر)، لفحوص الاحتيال لديها.
pay-option-method = اختر الدفع عبر البنك أو الدفع عبر Open Finance.
pay-option-account-pay-only = يمكن اختيار حساب للدفع عبر البنك فقط.
pay-option-name-checkout-only = يُرسل اسم الدافع مع الدفع عبر Open Finance فقط.
pay-option-name-invalid = استخدم اسمًا لا يتجاوز 140 حرفًا، دون أسطر جديدة.
pay-option-bank-unknown = لا تدرج Lean هذا البنك.
pay-option-bank-no-source = ليس لديك مصدر دفع في هذا البنك: أضف واحدًا أدناه، أو دع الدافع يختار.
pay-option-account-unknown = هذا الحساب ليس من حسابات مصادر الدفع لديك.
pay-option-account-other-bank = هذا الحساب في بنك غير البنك المختار.
pay-upgrade-bank-label = بنك مربوط للبيانات فقط
pay-upgrade-button = إضافة المدفوعات إلى هذا البنك
pay-upgrade-help = ‏updatePaymentSource من Lean مع entity_id الخاص بالاتصال: يسجّل الشخص الدخول إلى ذلك البنك مرة أخرى، فيحصل البنك على مصدر دفع تكون الوجهة المختارة أول مستفيد فيه، دون ربطه من جديد.
pay-upgrade-choose-bank = اختر أحد بنوكك المربوطة.
pay-upgrade-bank-not-active = يحتاج هذا البنك إلى تسجيل دخول جديد أولًا: أعد ربطه من لوحة التحكم.
pay-source-create-beneficiary = إضافة كمستفيد
pay-source-recipient-needs-source = أضف مصدر دفع أولًا، ثم يمكنك إضافة مستفيدين آخرين إليه.
pay-source-choose = اختر أحد مصادر الدفع الخاصة بك.
pay-source-needed = أضف مصدر دفع أولًا.
pay-source-added-head = أُضيف مصدر الدفع.
pay-recipient-added-head = أُضيف المستفيد.
pay-recipient-state-confirming = تؤكد Lean المستفيد { $recipient } مع بنكك؛ يتغيّر هذا الإشعار فور تأكيده.
pay-recipient-state-cool-off = يُبقي بنكك المستفيد { $recipient } في فترة الانتظار حتى { $until }. يعمل «الدفع عبر البنك» إلى { $recipient } بعد انتهائها، ويتغيّر هذا الإشعار عندها.
pay-recipient-state-cool-off-undated = يُبقي بنكك المستفيد { $recipient } في فترة الانتظار. يعمل «الدفع عبر البنك» إلى { $recipient } بعد انتهائها، ويتغيّر هذا الإشعار عندها.
pay-recipient-state-ready = المستفيد { $recipient } جاهز في بنكك: يمكن الدفع إليه الآن عبر «الدفع عبر البنك».
pay-source-status-ready = جاهز
pay-source-status-cool-off = في فترة انتظار البنك
pay-source-status-setting-up = قيد الإعداد
pay-until = حتى

# verifyAddress
pay-verify-title = التحقق من عنوانك
pay-verify-intro = تسأل Lean بنكك عمّا إذا كان اسم صاحب الحساب يطابق اسمك. تسجّل الدخول إلى بنكك في نافذة Lean؛ ولا يُدفع أي مبلغ.
pay-verify-name-label = اسمك الكامل
pay-verify-name-hint = كما هو لدى بنكك: الاسم الأول واسم العائلة على الأقل. يحتفظ به التطبيق لحسابك.
pay-verify-button = التحقق عبر بنكي
pay-verify-busy = جارٍ التحقق…
pay-verify-name-needed = أدخل اسمك الكامل أولًا.
pay-name-empty = أدخل اسمك الكامل.
pay-name-one-word = أدخل الاسم الأول واسم العائلة على الأقل.
pay-name-too-long = استخدم 140 حرفًا كحد أقصى.
pay-name-not-a-name = استخدم الحروف فقط، مع مسافات أو شرطات أو فواصل علوية بين الأسماء.
pay-verify-success = تم التحقق: أكّد بنكك أن الحساب باسم { $name }.
pay-verify-mismatch = لم يتم التحقق: الاسم على حسابك البنكي لا يطابق { $name }. تحقق من طريقة كتابة بنكك له وحاول مرة أخرى.
pay-verify-cancelled = أغلقت نافذة Lean قبل الإتمام. لم يتم التحقق من أي شيء.
pay-verify-failed = لم يكتمل التحقق. توضح التفاصيل أدناه السبب.
pay-verify-last-check = آخر تحقق:
pay-verify-field-status = الحالة
pay-verify-field-secondary = التفاصيل
pay-verify-field-message = رسالة من Lean
pay-verify-field-correlation = المرجع لدعم Lean
