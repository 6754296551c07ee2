"""Traditional characters read as simplified ones, for the name passes only.

Pages reprinted from Hong Kong, Taiwan or old-style sites, and converted pages, write 陳/劉/張
and 記者/書記/鎮長: the name rules and the given-name statistics know the simplified forms. Each
traditional character here has one simplified counterpart (a one-to-one, same-length mapping),
so offsets found on the converted text are offsets in the original. Characters that are also
ordinary simplified characters with another use (著, 乾, 瞭, 隻, 藉 …) are left alone.
"""

from __future__ import annotations

import re

from gongkai.privacy import anchors

# Pairs of (traditional, simplified), written one after the other.
_PAIRS = (
    "納纳陳陈劉刘張张楊杨黃黄趙赵吳吴孫孙馬马鄭郑羅罗謝谢韓韩馮冯鄧邓許许蕭萧蘇苏盧卢蔣蒋賈贾葉叶閻阎鍾钟鐘钟範范譚谭鄒邹陸陆顧顾龍龙萬万錢钱湯汤喬乔賀贺賴赖龔龚嚴严龐庞"
    "聶聂齊齐華华歐欧塗涂費费鄔邬韋韦衛卫雲云關关鄺邝溫温藍蓝諸诸闞阚閔闵項项單单談谈莊庄寧宁廣广邊边門门車车勞劳婁娄駱骆鮑鲍樂乐遲迟麥麦練练紀纪賁贲陽阳區区國国偉伟"
    "軍军東东紅红麗丽傑杰豔艳艷艳濤涛強强鵬鹏輝辉維维榮荣鳳凤蘭兰靜静誠诚飛飞寶宝貴贵興兴順顺慶庆賢贤義义禮礼長长愛爱蓮莲雙双曉晓齡龄嶺岭鋒锋銘铭錦锦銀银鐵铁鋼钢鈞钧"
    "釗钊濱滨漢汉瀾澜潔洁淵渊滿满澤泽潤润綺绮綠绿縣县鎮镇鄉乡書书記记報报員员會会議议說说話话訪访問问對对為为與与這这個个們们來来時时發发現现開开進进過过還还讓让給给"
    "從从後后樣样點点當当將将學学應应經经濟济動动務务業业產产農农戶户貧贫脫脱幫帮導导領领團团隊队黨党組组織织幹干職职稱称師师專专傳传統统體体醫医歲岁間间號号電电聯联"
    "繫系係系網网頁页圖图攝摄編编輯辑責责審审訊讯據据廳厅處处場场實实際际調调總总結结預预計计劃划設设備备認认識识證证請请況况辦办規规則则條条遠远環环種种樹树養养雞鸡"
    "鴨鸭魚鱼糧粮蘋苹園园藝艺術术歷历雖虽難难題题壓压執执態态優优勢势獎奖勵励積积極极參参舉举選选擇择獲获譽誉級级標标準准質质錄录檢检驗验評评價价觀观變变遷迁權权訴诉"
    "訟讼狀状辯辩護护憲宪罰罚懲惩擔担營营銷销購购買买賣卖貨货財财稅税亞亚嗎吗麼么啓启啟启內内兩两聖圣歡欢運运達达遞递鄰邻郵邮釋释鎖锁閉闭閱阅陝陕陰阴階阶隨随險险隱隐"
    "雜杂離离靈灵頂顶須须頓顿頭头顏颜願愿類类顯显風风飯饭館馆駐驻騰腾髮发鬥斗鬧闹魯鲁鮮鲜鳥鸟鳴鸣鴻鸿鶴鹤齒齿龜龟筆笔簡简節节築筑約约紛纷純纯紙纸細细終终絕绝絲丝綜综"
    "緊紧線线緣缘縱纵績绩繼继續续罷罢習习聞闻聲声聽听肅肃腦脑臉脸臨临舊旧艱艰藥药虛虚蟲虫衆众衝冲補补製制複复見见視视親亲覺觉訂订討讨訓训試试詩诗詳详語语誤误課课誰谁"
    "論论講讲讀读豐丰貝贝負负資资賞赏贊赞贏赢趕赶趨趋跡迹踐践軌轨軟软較较載载輕轻輔辅輸输轉转遊游適适遺遗鍛锻鏈链閑闲響响額额餘余驚惊髒脏麵面盡尽監监盤盘眾众睜睁礎础"
    "確确碼码禪禅穩稳窮穷競竞緒绪羣群翹翘膚肤膽胆臺台臟脏艙舱蒼苍蓋盖蔔卜裝装襯衬億亿儀仪僅仅傷伤債债傾倾償偿儲储兒儿冊册淨净劇剧劑剂劍剑勁劲勝胜協协卻却叢丛唄呗啞哑"
    "喚唤喪丧嘆叹嘗尝嚇吓囑嘱圍围圓圆壇坛墊垫塊块塵尘壞坏壘垒壯壮壽寿夢梦夠够奪夺奮奋婦妇媽妈寫写寬宽尋寻層层屬属岡冈島岛峽峡巖岩帥帅帶带幣币廠厂廢废廟庙彈弹彎弯彙汇"
    "彥彦徑径復复憶忆懷怀懸悬戀恋戰战戲戏拋抛捨舍掃扫掛挂採采換换損损搶抢搖摇撥拨擊击擁拥擴扩擾扰攤摊敗败敘叙敵敌數数斂敛斷断於于晉晋晝昼暈晕暢畅曆历構构槍枪樓楼樞枢"
    "橋桥機机檔档櫃柜歸归殘残殺杀殼壳毀毁氣气決决沒没淺浅淚泪測测湧涌滅灭滬沪滯滞漁渔漲涨潛潜濃浓濕湿濫滥灣湾災灾烏乌無无煉炼煙烟熱热燈灯燒烧爭争爺爷牆墙獨独獵猎獻献"
    "畝亩畢毕畫画疊叠療疗盜盗紹绍蘊蕴誌志詞词錯错鏡镜陣阵韻韵頒颁頻频飲饮饒饶鬆松黴霉蹤踪躍跃奧奥嬰婴孃娘寢寝屆届屢屡幾几廂厢彌弥徹彻憑凭懇恳懶懒摯挚撫抚擬拟擠挤攜携"
    "斕斓朧胧梟枭棄弃歎叹氫氢滄沧滲渗潑泼澆浇濁浊瀕濒瀝沥灑洒灘滩燦灿爐炉犧牺狹狭猶犹獅狮瑪玛甦苏癒愈皚皑盞盏矯矫礙碍祿禄禍祸稈秆稜棱穌稣窪洼竄窜筍笋箏筝籃篮籌筹籤签"
    "糾纠紋纹紡纺紮扎絨绒綁绑綢绸綫线緩缓緻致縮缩繡绣繩绳繪绘繳缴纖纤罈坛羨羡聳耸腫肿膠胶膩腻臘腊艦舰蕩荡薦荐薩萨蘆芦虜虏蝦虾蠶蚕衚胡袞衮裡里褲裤襪袜覓觅詠咏該该詢询"
    "誇夸誕诞誼谊諒谅謀谋謂谓謎谜謙谦譜谱譯译讚赞豎竖貓猫賓宾賬账贈赠贖赎蹟迹軒轩輛辆輩辈轄辖辭辞邁迈郟郏鄖郧鄲郸醬酱釀酿針针釣钓鈴铃鉛铅鋪铺錫锡鍋锅鍵键鎊镑鏟铲鑰钥"
    "閃闪閩闽闊阔闖闯陘陉隴陇隸隶雋隽雛雏霧雾靂雳韌韧頌颂頗颇頸颈顆颗颱台颳刮餓饿餵喂饑饥駁驳駕驾駛驶騎骑騙骗驅驱驢驴驟骤骯肮鬍胡鯉鲤鳩鸠鴿鸽鵝鹅鷹鹰鹽盐齋斋龕龛倫伦"
    "側侧偵侦偽伪傘伞傭佣僑侨儉俭凱凯凍冻剛刚剝剥勻匀匯汇厭厌厲厉呂吕喲哟嗚呜嘩哗嘯啸噴喷嚮向囂嚣堅坚墜坠壩坝夾夹奐奂妝妆孌娈屍尸嶼屿巔巅幟帜廬庐彠彟惡恶惱恼惲恽愷恺"
    "慘惨慚惭慣惯慮虑憂忧憐怜戔戋揚扬斬斩昇升暉晖曄晔朮术楓枫榿桤槳桨樁桩樸朴橫横檯台櫻樱欄栏歟欤殯殡氈毡沖冲洩泄涇泾淒凄渦涡湊凑溝沟滷卤漿浆澗涧瀋沈瀟潇灤滦爾尔牘牍"
    "犢犊猙狰獄狱璣玑瓊琼甕瓮瘋疯皺皱睏困礦矿禱祷穀谷窩窝竅窍竇窦篤笃簽签粵粤糝糁紳绅絃弦綏绥緝缉緬缅縈萦繽缤纏缠罵骂翺翱臏膑芻刍莖茎萊莱葦苇虧亏蝕蚀衊蔑裊袅褘袆覽览"
    "訝讶詐诈詭诡誅诛誦诵諮咨謄誊譴谴豈岂貞贞貫贯賄贿賽赛贓赃軀躯輓挽轟轰辮辫遙遥遜逊酈郦醞酝釐厘鈔钞鈕钮鉅钜鉤钩銅铜銜衔鋤锄錘锤鍊炼鎔熔鏽锈鑄铸鑑鉴閘闸閣阁闆板闡阐"
    "隕陨霽霁靚靓韜韬頃顷頑顽頰颊顛颠飄飘餅饼饃馍馳驰駭骇騷骚驕骄鬱郁魘魇鯨鲸鳶鸢鴉鸦鵑鹃鶯莺齣出"
)

_TABLE = {ord(_PAIRS[i]): ord(_PAIRS[i + 1]) for i in range(0, len(_PAIRS), 2)}
_ANY = re.compile("[" + "".join(_PAIRS[i] for i in range(0, len(_PAIRS), 2)) + "]")
# A few traditional characters in a simplified text (a quoted title, a name) are not worth a
# pass; real traditional text has them everywhere.
_ENOUGH = 3
# found by the one anchor scan of `anchors`, with the words of the name passes
anchors.register("traditional", (_PAIRS[i] for i in range(0, len(_PAIRS), 2)))


def simplified(text: str) -> str:
    """`text` with its traditional characters written in simplified form, same length; `text`
    itself when it has (almost) none."""
    if len(anchors.occurrences(text, "traditional")) >= _ENOUGH:  # _ANY's matches, counted
        return text.translate(_TABLE)
    return text
